/**
 * Child process of bench/metrics.ts: serves N simulated Istio sidecars (each its own port) so the
 * scrapers measured do not share a CPU budget with the targets' rendering. Prints one JSON line
 * `{"targets":["127.0.0.1:port",...]}` when ready; exits on SIGTERM.
 */
import {
  SimulatedSidecar,
  startFixtureServer,
  type SimEdge,
} from '~/test/fixtures/metrics/sidecar-sim';

const count = Number(process.env.SIDECARS ?? 50);
const edgesPer = Number(process.env.EDGES_PER_SIDECAR ?? 10);

const servers = await Promise.all(
  Array.from({ length: count }, async (_, i) => {
    const edges: SimEdge[] = Array.from({ length: edgesPer }, (_, k) => ({
      reporter: 'destination',
      sourceWorkload: `svc-${(i + k + 1) % count}-v1`,
      sourceNamespace: 'bench',
      destinationWorkload: `svc-${i}-v1`,
      destinationNamespace: 'bench',
      destinationService: `svc-${i}`,
      responseCode: k % 5 === 4 ? '503' : '200',
    }));
    const sim = new SimulatedSidecar(edges);
    let n = 0;
    return startFixtureServer(() => {
      for (let e = 0; e < edgesPer; e++)
        for (let r = 0; r < 3; r++)
          sim.record(e, 1 + ((n * 31 + e * 7 + r * 13) % 400));
      n++;
      return { body: sim.render() };
    });
  }),
);
process.stdout.write(
  `${JSON.stringify({ targets: servers.map((s) => s.hostPort) })}\n`,
);
process.on('SIGTERM', () => {
  void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0));
});
