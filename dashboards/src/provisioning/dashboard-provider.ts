/** Where the generated dashboards live inside the Grafana container (docker-compose mounts
 * dashboards/provisioning at /etc/grafana/provisioning). */
export const GRAFANA_PROVISIONING_ROOT = '/etc/grafana/provisioning';
export const DASHBOARDS_SUBFOLDER = 'dashboards/switchboard';
export const FOLDER_TITLE = 'Switchboard';
export const FOLDER_UID = 'switchboard';

/**
 * The file provider that loads every JSON dashboard in the folder. UI edits are refused
 * (allowUiUpdates: false): the TypeScript is the source, a change made in the browser would be
 * overwritten at the next provisioning pass anyway.
 */
export function dashboardProvider(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'switchboard',
        orgId: 1,
        // By title only: the alert rules name the same folder by title, and whichever provisioner
        // runs first creates it; a fixed uid here could clash with a folder alerting created.
        folder: FOLDER_TITLE,
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: {
          path: `${GRAFANA_PROVISIONING_ROOT}/${DASHBOARDS_SUBFOLDER}`,
          foldersFromFilesStructure: false,
        },
      },
    ],
  };
}
