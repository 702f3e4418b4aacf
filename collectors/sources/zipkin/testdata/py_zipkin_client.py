"""A real Zipkin client (Debian's python3-py-zipkin) sending two nested spans as Zipkin v2 JSON.

Usage: /usr/bin/python3 py_zipkin_client.py <port>. Prints the trace id it used.
"""
import sys
import urllib.request

from py_zipkin import Encoding
from py_zipkin.transport import BaseTransportHandler
from py_zipkin.zipkin import zipkin_span

PORT = int(sys.argv[1])


class HttpTransport(BaseTransportHandler):
    def get_max_payload_bytes(self):
        return None

    def send(self, payload):
        req = urllib.request.Request(
            "http://127.0.0.1:%d/api/v2/spans" % PORT,
            data=payload.encode("utf-8") if isinstance(payload, str) else payload,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req) as res:
            assert res.status == 202, res.status


with zipkin_span(
    service_name="pyclient",
    span_name="outer op",
    transport_handler=HttpTransport(),
    sample_rate=100.0,
    encoding=Encoding.V2_JSON,
) as outer:
    outer.update_binary_annotations({"http.status_code": "200"})
    with zipkin_span(service_name="pyclient", span_name="inner op"):
        pass
    print(outer.zipkin_attrs.trace_id)
