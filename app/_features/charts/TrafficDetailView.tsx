'use client';

import type { ReactNode } from 'react';
import { StatGrid } from '../../_components/StatGrid';
import { CodeTable } from './CodeTable';
import { detailStats } from './detail-stats';
import type { TrafficDetail } from './detail-types';
import { FlagTable } from './FlagTable';
import { HistogramChart } from './HistogramChart';
import { LatencyHeatmap } from './LatencyHeatmap';
import { LatencyChart } from './LatencyChart';
import { PeerTable } from './PeerTable';
import {
  codeClassColor,
  histogramBars,
  latencyPoints,
  paletteColor,
  redPoints,
  stackedRates,
} from './prepare-series';
import { RedChart } from './RedChart';
import { StackedRateChart } from './StackedRateChart';
import './charts.css';

const CODE_ORDER = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'grpc error',
  'no response',
  '1xx',
  'tcp',
];

export interface TrafficDetailViewProps {
  detail: TrafficDetail;
  tcp: boolean;
  /** Which peer tables to show, with their titles. */
  peers?: { sources?: string; destinations?: string };
  histogram?: boolean;
  /** Extra content after the figures (links). */
  children?: ReactNode;
}

/** RED figures, latency, codes, flags and peers of one selection of traffic. */
export function TrafficDetailView({
  detail,
  tcp,
  peers,
  histogram,
  children,
}: TrafficDetailViewProps) {
  const codes = stackedRates(detail.codesOverTime, {
    top: 6,
    order: CODE_ORDER,
  });
  const flags = stackedRates(detail.flagsOverTime, { top: 5 });
  return (
    <div className="traffic-detail">
      <StatGrid
        items={detailStats(detail.totals, tcp)}
        label="Figures for the window"
      />
      {children}
      <RedChart points={redPoints(detail.series, tcp)} tcp={tcp} />
      {tcp ? null : <LatencyChart points={latencyPoints(detail.series)} />}
      {histogram && !tcp ? (
        <HistogramChart bars={histogramBars(detail.histogram)} />
      ) : null}
      {histogram && !tcp ? <LatencyHeatmap steps={detail.heatmap} /> : null}
      {tcp ? null : (
        <section className="detail-section">
          <h3>Response codes</h3>
          <StackedRateChart
            title="Responses/s by class"
            series={codes}
            colorOf={(k) => codeClassColor(k)}
            empty="No responses in this window"
          />
          <CodeTable codes={detail.codes} />
        </section>
      )}
      <section className="detail-section">
        <h3>Response flags</h3>
        {flags.keys.length > 0 ? (
          <StackedRateChart
            title="Flagged requests/s"
            series={flags}
            colorOf={(_k, i) => paletteColor(i + 1)}
            empty=""
          />
        ) : null}
        <FlagTable flags={detail.flags} />
      </section>
      {peers?.sources ? (
        <section className="detail-section">
          <h3>{peers.sources}</h3>
          <PeerTable title="Caller" peers={detail.sources} />
        </section>
      ) : null}
      {peers?.destinations ? (
        <section className="detail-section">
          <h3>{peers.destinations}</h3>
          <PeerTable
            title={peers.destinations === 'Served by' ? 'Workload' : 'Callee'}
            peers={detail.destinations}
          />
        </section>
      ) : null}
    </div>
  );
}
