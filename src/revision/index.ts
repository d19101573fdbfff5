export { renderExportedRevision, renderRevision, type RevisionRender, type RevisionSettings } from './revisions.js';
