import { rulerTicks } from './view-math';

/** Tick labels (time since the trace start) over the timeline column. */
export function TimeRuler({
  view,
}: {
  view: {
    traceStartUs: number;
    traceEndUs: number;
    viewStart: number;
    viewEnd: number;
  };
}) {
  const ticks = rulerTicks(view, 5);
  return (
    <div className="wf-ruler" aria-hidden="true">
      {ticks.map((t, i) => (
        <span
          key={i}
          className="wf-tick"
          style={
            i === ticks.length - 1
              ? { right: 0 }
              : { left: `${t.fraction * 100}%` }
          }
        >
          {t.label}
        </span>
      ))}
    </div>
  );
}
