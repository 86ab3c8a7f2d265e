// Where a popover anchored to a button fits in the window.
//
// The Parameters popover hung below its button at a fixed 75vh and 380 px,
// so at 800×600 (with a banner or two above the chat) its bottom and the
// Reset button were cut off. Here it opens below the button when it fits
// (else above, where there is more room), is never taller than the room on
// that side, and slides left so that its right edge stays in the window.

export interface Anchor {
  top: number;
  bottom: number;
  left: number;
}

export interface PopoverBox {
  /** open above the anchor rather than below */
  above: boolean;
  /** the popover's max-height in px */
  maxHeight: number;
  /** offset from the anchor's left edge in px (≤ 0 moves it left) */
  left: number;
}

/** Margin kept between a popover and the window's edges, in px. */
export const EDGE = 8;
const GAP = 4;

export function placePopover(anchor: Anchor, width: number, wanted: number, viewW: number, viewH: number): PopoverBox {
  const below = viewH - anchor.bottom - GAP - EDGE;
  const aboveRoom = anchor.top - GAP - EDGE;
  const above = wanted > below && aboveRoom > below;
  const room = Math.max(120, above ? aboveRoom : below);
  const overflowRight = anchor.left + width - (viewW - EDGE);
  const left = overflowRight > 0 ? -Math.min(overflowRight, Math.max(0, anchor.left - EDGE)) : 0;
  return { above, maxHeight: Math.floor(Math.min(wanted, room)), left: Math.round(left) };
}
