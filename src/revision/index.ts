export {
  renderRevision,
  renderRevisions,
  type RenderedRevision,
  type RenderedRevisions,
  type RevisionRender,
  type RevisionRenderSettings,
  type RevisionSettings,
} from './revisions.js';
