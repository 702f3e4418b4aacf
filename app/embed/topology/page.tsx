import { EmbedFrame } from '../../_features/embed/EmbedFrame';
import { parseEmbedOptions } from '../../_features/embed/embed-options';
import { EmbedTopology } from '../../_features/embed/EmbedTopology';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** /embed/topology?token=…&theme=dark&namespaces=bookinfo&refresh=30 */
export default async function EmbedTopologyPage({
  searchParams,
}: {
  searchParams: SearchParams;
}) {
  const options = parseEmbedOptions(await searchParams);
  return (
    <EmbedFrame options={options} widget="topology">
      <EmbedTopology options={options} />
    </EmbedFrame>
  );
}
