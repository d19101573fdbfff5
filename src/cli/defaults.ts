/** Where the helmfile lives in the layout this tool is made for (see README). */
export const defaultHelmfilePath = 'helmfile';
