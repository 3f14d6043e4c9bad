// The four characters that must not reach HTML text or a double-quoted attribute value unescaped;
// shared by the runner's HTML report and the docs renderer (tools/docs).
export function escapeHtml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
