/** The snippets the Settings page shows for a new embed token. Pure; attribute values escaped. */
export interface SnippetInput {
  /** Where Meshlens is reached from the host page, e.g. https://meshlens.example.com */
  base: string;
  widget: 'topology' | 'service';
  token: string;
  theme: 'auto' | 'light' | 'dark';
  namespace?: string;
  service?: string;
}

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedUrl(i: SnippetInput): string {
  const u = new URL(`/embed/${i.widget}`, i.base);
  u.searchParams.set('token', i.token);
  if (i.theme !== 'auto') u.searchParams.set('theme', i.theme);
  if (i.widget === 'service') {
    u.searchParams.set('namespace', i.namespace ?? '');
    u.searchParams.set('service', i.service ?? '');
  }
  return u.toString();
}

export function iframeSnippet(i: SnippetInput): string {
  const height = i.widget === 'service' ? 160 : 480;
  return `<iframe src="${attr(embedUrl(i))}"
  title="Meshlens ${i.widget}" width="100%" height="${height}"
  style="border:0" loading="lazy" referrerpolicy="no-referrer"></iframe>
<script>
  // Events from the widget: meshlens:ready, meshlens:resized, meshlens:node-clicked
  window.addEventListener('message', (e) => {
    if (e.origin !== ${JSON.stringify(new URL(i.base).origin)}) return;
    if (e.data?.type === 'meshlens:node-clicked') console.log(e.data.node);
  });
</script>`;
}

export function webComponentSnippet(i: SnippetInput): string {
  const script = new URL('/embed/meshlens-embed.js', i.base).toString();
  return `<script src="${attr(script)}" async></script>
<meshlens-widget src="${attr(embedUrl(i))}"></meshlens-widget>
<script>
  document.querySelector('meshlens-widget')
    .addEventListener('meshlens:node-clicked', (e) => console.log(e.detail.node));
</script>`;
}
