/**
 * /embed/meshlens-embed.js: a small web component for host pages (docs/embedding.md).
 *   <script src="https://meshlens.example.com/embed/meshlens-embed.js" async></script>
 *   <meshlens-widget src="https://meshlens.example.com/embed/topology?token=..."></meshlens-widget>
 * It frames the widget, follows its height (`meshlens:resized`), and re-dispatches every
 * `meshlens:*` message from that frame as a DOM CustomEvent on the element (bubbling), e.g.
 * `el.addEventListener('meshlens:node-clicked', (e) => console.log(e.detail.node))`.
 */
export const EMBED_SCRIPT = `(function () {
  'use strict';
  if (typeof customElements === 'undefined' || customElements.get('meshlens-widget')) return;
  class MeshlensWidget extends HTMLElement {
    connectedCallback() {
      if (this._frame) return;
      var src = this.getAttribute('src') || '';
      var origin;
      try { origin = new URL(src, location.href).origin; } catch (e) { return; }
      var frame = document.createElement('iframe');
      frame.src = src;
      frame.title = this.getAttribute('title') || 'Meshlens';
      frame.style.border = '0';
      frame.style.width = '100%';
      frame.style.height = this.getAttribute('height') || '420px';
      frame.setAttribute('loading', 'lazy');
      frame.setAttribute('referrerpolicy', 'no-referrer');
      this._frame = frame;
      var self = this;
      this._onMessage = function (event) {
        if (event.origin !== origin || event.source !== frame.contentWindow) return;
        var data = event.data;
        if (!data || typeof data.type !== 'string' || data.type.indexOf('meshlens:') !== 0) return;
        if (data.type === 'meshlens:resized' && !self.hasAttribute('height') && typeof data.height === 'number')
          frame.style.height = Math.max(120, Math.min(4000, data.height)) + 'px';
        self.dispatchEvent(new CustomEvent(data.type, { detail: data, bubbles: true }));
      };
      window.addEventListener('message', this._onMessage);
      this.appendChild(frame);
    }
    disconnectedCallback() {
      if (this._onMessage) window.removeEventListener('message', this._onMessage);
      if (this._frame) this._frame.remove();
      this._frame = null;
    }
  }
  customElements.define('meshlens-widget', MeshlensWidget);
})();
`;
