import { EmbedFrame } from '../../_features/embed/EmbedFrame';
import { parseEmbedOptions } from '../../_features/embed/embed-options';
import { EmbedServiceCard } from '../../_features/embed/EmbedServiceCard';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** /embed/service?token=…&namespace=bookinfo&service=reviews&theme=light */
export default async function EmbedServicePage({
  searchParams,
}: {
  searchParams: SearchParams;
}) {
  const options = parseEmbedOptions(await searchParams);
  return (
    <EmbedFrame options={options} widget="service">
      <EmbedServiceCard options={options} />
    </EmbedFrame>
  );
}
