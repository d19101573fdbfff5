export { renderExportedRevision, type RevisionRender, type RevisionSettings } from './revisions.js';
