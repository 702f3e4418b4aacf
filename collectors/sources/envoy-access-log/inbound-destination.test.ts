import { describe, expect, it } from 'vitest';
import { inboundDestination } from './normalize';

const productpage = { service: 'productpage', namespace: 'bookinfo' };

describe('the service an inbound access-log line was for', () => {
  it('takes the mesh host (mTLS SNI or inbound cluster) when there is one', () => {
    expect(
      inboundDestination(
        'reviews.bookinfo.svc.cluster.local',
        'x:1',
        productpage,
      ),
    ).toEqual({ service: 'reviews', namespace: 'bookinfo' });
  });

  it("reads a plaintext client's namespace-qualified authority as the short service name", () => {
    expect(
      inboundDestination('', 'productpage.bookinfo:9080', productpage),
    ).toEqual(productpage);
    expect(inboundDestination('', 'productpage:9080', productpage)).toEqual(
      productpage,
    );
    expect(
      inboundDestination(
        '',
        'productpage.bookinfo.svc.cluster.local:9080',
        productpage,
      ),
    ).toEqual(productpage);
  });

  it('falls back to the proxy itself for an IP or a public name routed in by a gateway', () => {
    expect(inboundDestination('', '10.0.0.7:9080', productpage)).toEqual(
      productpage,
    );
    expect(inboundDestination('', '[fd00::7]:9080', productpage)).toEqual(
      productpage,
    );
    expect(inboundDestination('', 'bookinfo.example.com', productpage)).toEqual(
      productpage,
    );
    expect(inboundDestination('', '', productpage)).toEqual(productpage);
  });

  it('keeps an unknown host whole when the proxy does not know itself', () => {
    expect(
      inboundDestination('', 'bookinfo.example.com', {
        service: '',
        namespace: '',
      }),
    ).toEqual({ service: 'bookinfo.example.com', namespace: '' });
  });
});
