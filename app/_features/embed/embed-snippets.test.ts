import { describe, expect, it } from 'vitest';
import { embedUrl, iframeSnippet, webComponentSnippet } from './embed-snippets';

const base = {
  base: 'https://mesh.example.com',
  widget: 'topology' as const,
  token: 'aaa.bbb.ccc',
  theme: 'dark' as const,
};

describe('embed snippets', () => {
  it('builds the widget URL with token and theme', () => {
    expect(embedUrl(base)).toBe(
      'https://mesh.example.com/embed/topology?token=aaa.bbb.ccc&theme=dark',
    );
    expect(
      embedUrl({
        ...base,
        widget: 'service',
        theme: 'auto',
        namespace: 'bookinfo',
        service: 'reviews',
      }),
    ).toBe(
      'https://mesh.example.com/embed/service?token=aaa.bbb.ccc&namespace=bookinfo&service=reviews',
    );
  });

  it('writes an iframe checking the message origin, and the web component', () => {
    const iframe = iframeSnippet(base);
    expect(iframe).toContain(
      '<iframe src="https://mesh.example.com/embed/topology?token=aaa.bbb.ccc&amp;theme=dark"',
    );
    expect(iframe).toContain('e.origin !== "https://mesh.example.com"');
    const wc = webComponentSnippet(base);
    expect(wc).toContain(
      'src="https://mesh.example.com/embed/meshlens-embed.js"',
    );
    expect(wc).toContain('<meshlens-widget src=');
  });

  it('escapes quotes in attribute values', () => {
    expect(
      iframeSnippet({
        ...base,
        widget: 'service',
        namespace: 'a"b',
        service: '<x>',
      }),
    ).not.toMatch(/namespace=a"b/);
  });
});
