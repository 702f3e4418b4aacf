/** `topology`: the service graph, and the detail of one edge or node (the side panel). */
import { z } from 'zod';
import { trafficDetail } from '../../queries/edges';
import { topPaths } from '../../queries/top-paths';
import { meshInventory, topologyGraph } from '../../queries/topology';
import { resolveWindow } from '../../queries/traffic-filter';
import { asDestination, asSource, edgeFilter } from '../../topology/peer-match';
import {
  filterSchema,
  graphTypeSchema,
  nodeRefSchema,
  resolveWindowArgs,
  thresholdsSchema,
  windowSchema,
} from '../traffic-schemas';
import { createTRPCRouter, publicProcedure } from '../trpc';

const windowed = z.object({ window: windowSchema });

export const topologyRouter = createTRPCRouter({
  /** The decorated graph of the window (nodes, namespace/app boxes, edges). */
  graph: publicProcedure
    .input(
      windowed.extend({
        filter: filterSchema.default({}),
        graphType: graphTypeSchema.default('workload'),
        includeIdle: z.boolean().default(false),
        thresholds: thresholdsSchema.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      return topologyGraph(db, {
        ...resolveWindowArgs(input.window),
        ...input.filter,
        graphType: input.graphType,
        includeIdle: input.includeIdle,
        thresholds: input.thresholds,
      });
    }),

  /** Namespaces and clusters seen in the window (for the filters). */
  inventory: publicProcedure.input(windowed).query(async ({ ctx, input }) => {
    const db = await ctx.db();
    return meshInventory(db, resolveWindow(resolveWindowArgs(input.window)));
  }),

  /** One edge: traffic from the source node to the target node over one protocol. */
  edge: publicProcedure
    .input(
      windowed.extend({
        graphType: graphTypeSchema.default('workload'),
        source: nodeRefSchema,
        target: nodeRefSchema,
        protocol: z.enum(['http', 'grpc', 'tcp']),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const filter = edgeFilter(input.source, input.target, input.graphType);
      if (filter === null) return null;
      return trafficDetail(db, {
        ...resolveWindowArgs(input.window),
        ...filter,
        protocols: [input.protocol],
      });
    }),

  /** Top paths (from the access logs) of an edge, or of a node's inbound or outbound side. */
  paths: publicProcedure
    .input(
      windowed.extend({
        graphType: graphTypeSchema.default('workload'),
        edge: z
          .object({
            source: nodeRefSchema,
            target: nodeRefSchema,
            protocol: z.enum(['http', 'grpc', 'tcp']),
          })
          .optional(),
        node: nodeRefSchema.optional(),
        direction: z.enum(['inbound', 'outbound']).default('inbound'),
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const window = resolveWindowArgs(input.window);
      if (input.edge) {
        const filter = edgeFilter(
          input.edge.source,
          input.edge.target,
          input.graphType,
        );
        if (filter === null) return null;
        return topPaths(db, {
          ...window,
          ...filter,
          protocols: [input.edge.protocol],
        });
      }
      if (!input.node) return null;
      if (input.direction === 'outbound') {
        const source = asSource(input.node, input.graphType);
        return source ? topPaths(db, { ...window, source }) : null;
      }
      if (input.node.kind === 'unknown') return null;
      return topPaths(db, {
        ...window,
        destination: asDestination(input.node, input.graphType),
      });
    }),

  /** One node: its inbound and outbound traffic. */
  node: publicProcedure
    .input(
      windowed.extend({
        graphType: graphTypeSchema.default('workload'),
        node: nodeRefSchema,
      }),
    )
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const window = resolveWindowArgs(input.window);
      const source = asSource(input.node, input.graphType);
      const [inbound, outbound] = await Promise.all([
        input.node.kind === 'unknown'
          ? null
          : trafficDetail(db, {
              ...window,
              destination: asDestination(input.node, input.graphType),
            }),
        source ? trafficDetail(db, { ...window, source }) : null,
      ]);
      return { inbound, outbound };
    }),
});
