'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { useTRPC } from '../../_trpc/client';
import { DeliveriesTable } from './DeliveriesTable';
import { HistoryTable } from './HistoryTable';
import { RuleEditor } from './RuleEditor';
import { RulesTable } from './RulesTable';
import { SilencesPanel } from './SilencesPanel';
import { useUrlState } from '../../_components/use-url-state';
import { ALERT_TABS, alertsParams, parseAlertsUrl } from './alerts-url';
import { emptyForm, fromRule, type RuleForm } from './rule-form';
import '../../_components/controls.css';
import './alerts.css';

const useAlertsUrl = () => useUrlState(parseAlertsUrl, alertsParams);

/** Alert rules with their state, the editor, history, silences and the delivery log. */
export function AlertsView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [{ tab, rule: ruleId }, setUrl] = useAlertsUrl();
  const setTab = (t: typeof tab) => setUrl({ tab: t });
  const [editing, setEditing] = useState<{
    id: string | null;
    form: RuleForm;
  } | null>(null);
  const rules = useQuery(
    trpc.alerts.list.queryOptions(undefined, { refetchInterval: 15_000 }),
  );
  const refresh = () =>
    qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  const toggle = useMutation(
    trpc.alerts.setEnabled.mutationOptions({ onSuccess: refresh }),
  );
  const remove = useMutation(
    trpc.alerts.remove.mutationOptions({ onSuccess: refresh }),
  );
  const firing =
    rules.data?.filter((r) => r.enabled && r.state === 'firing').length ?? 0;
  return (
    <div className="alerts-page alerts-grid">
      <PageHeader
        title="Alerts"
        description={
          rules.data
            ? `${rules.data.length} rule${rules.data.length === 1 ? '' : 's'}, ${firing} firing. Evaluated on the mesh traffic the dashboard shows, each request counted once.`
            : 'Rules on error rate, latency, request rate, mTLS and response flags.'
        }
        actions={
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setTab('rules');
              setEditing({ id: null, form: emptyForm() });
            }}
          >
            New rule
          </button>
        }
      />
      <div className="segmented" role="tablist" aria-label="Alert views">
        {ALERT_TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'active' : ''}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      {editing ? (
        <RuleEditor
          key={editing.id ?? 'new'}
          id={editing.id}
          initial={editing.form}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      ) : null}
      {rules.isError ? (
        <ErrorNotice
          title="Could not read the alert rules"
          message={rules.error.message}
        >
          <p>
            Meshlens retries every 15 s. If the tables are missing, run{' '}
            <code>npm run db:migrate</code>.
          </p>
        </ErrorNotice>
      ) : null}
      {(toggle.error ?? remove.error) ? (
        <ErrorNotice
          title="The change failed"
          message={(toggle.error ?? remove.error)!.message}
        />
      ) : null}
      {tab === 'rules' && !rules.data && !rules.isError ? (
        <Skeleton lines={5} label="Loading the alert rules" />
      ) : null}
      {tab === 'rules' && rules.data && rules.data.length === 0 && !editing ? (
        <p className="empty-inline">
          No alert rules yet. “New rule” creates one; “Test this rule now” shows
          what it would say before you save it.
        </p>
      ) : null}
      {tab === 'rules' && rules.data && rules.data.length > 0 ? (
        <div className="panel table-panel">
          <RulesTable
            rules={rules.data}
            selectedId={ruleId}
            onEdit={(r) => setEditing({ id: r.id, form: fromRule(r) })}
            onToggle={(r) => toggle.mutate({ id: r.id, enabled: !r.enabled })}
            onDelete={(r) => {
              if (
                window.confirm(
                  `Delete the rule “${r.name}”? Its history stays.`,
                )
              )
                remove.mutate({ id: r.id });
            }}
          />
        </div>
      ) : null}
      {ruleId && (tab === 'rules' || tab === 'history') ? (
        <p className="muted small" role="status">
          {rules.data && !rules.data.some((r) => r.id === ruleId)
            ? `Rule ${ruleId} does not exist (any more). `
            : `Showing rule “${rules.data?.find((r) => r.id === ruleId)?.name ?? ruleId}”${tab === 'history' ? ' only' : ''}. `}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setUrl({ rule: null })}
          >
            Show all rules
          </button>
        </p>
      ) : null}
      {tab === 'history' ? (
        <HistoryTable rules={rules.data ?? []} ruleId={ruleId} />
      ) : null}
      {tab === 'silences' ? <SilencesPanel /> : null}
      {tab === 'deliveries' ? <DeliveriesTable /> : null}
    </div>
  );
}
