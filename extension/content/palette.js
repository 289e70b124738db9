/**
 * The colours of everything Deinfluencer draws on TikTok (the hint and the profile banner), as custom
 * properties of a shadow host: one place, so both follow TikTok's light and dark themes the same way.
 * Every text colour meets WCAG AA (4.5:1) on its background in both themes; `--accent` is the warning
 * red, which the hint changes per verdict.
 */
export const PALETTE_CSS = `
:host {
  --bg: #ffffff;
  --fg: #161823;
  --muted: #3d3f4a;
  --line: #8a8b91;
  --accent: #b3261e;
  --focus: #0b57d0;
  --bar: #e8e8ec;
  color-scheme: light;
}
:host([data-theme="dark"]) {
  --bg: #1e1f24;
  --fg: #f4f4f6;
  --muted: #d2d3d8;
  --line: #6b6c74;
  --accent: #ffb4a8;
  --focus: #a8c7fa;
  --bar: #34363d;
  color-scheme: dark;
}
`;
