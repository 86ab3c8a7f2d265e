// Whether the message list follows a streaming answer to the bottom.
//
// Deciding from scrollTop alone ("within 80 px of the bottom") lost to
// WebKitGTK's smooth scrolling: a wheel notch up moves the view a few
// pixels per frame, so the next update still found it "at the bottom" and
// snapped it back, and the user could not scroll up during a fast stream.
// Here the user's intent decides: a wheel or touch movement up, or a key
// that scrolls up, stops following at once, before any scroll event; a
// scroll the user makes upward (the scrollbar dragged) stops it too. Only
// the user reaching the bottom again (or the "scroll to bottom" button)
// resumes it. Scrolls the list makes itself are not the user's.

/** Within this many px of the end counts as the bottom when the user scrolls back down. */
export const BOTTOM_SLACK = 24;

const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);
const DOWN_KEYS = new Set(['ArrowDown', 'PageDown', 'End', ' ']);

export interface ScrollBox {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

export class Follow {
  /** whether updates should scroll to the bottom */
  following = true;
  private lastTop = 0;
  private ownTop: number | null = null;
  private touchY: number | null = null;

  /** Scrolls box to its end as the list's own move (not the user's). */
  toBottom(box: ScrollBox): void {
    box.scrollTop = box.scrollHeight;
    this.ownTop = box.scrollTop;
    this.lastTop = box.scrollTop;
  }

  /** Scrolls box to top as the list's own move: earlier messages drawn above keep the view still. */
  keep(box: ScrollBox, top: number): void {
    box.scrollTop = top;
    this.ownTop = box.scrollTop;
    this.lastTop = box.scrollTop;
  }

  /** Follow again from now (a conversation opened, the jump button pressed). */
  resume(box?: ScrollBox): void {
    this.following = true;
    if (box) this.toBottom(box);
  }

  stop(): void {
    this.following = false;
  }

  wheel(deltaY: number): void {
    if (deltaY < 0) this.following = false;
  }

  touchStart(y: number): void {
    this.touchY = y;
  }

  /** A finger moving down the screen scrolls the content up. */
  touchMove(y: number): void {
    if (this.touchY !== null && y > this.touchY) this.following = false;
    this.touchY = y;
  }

  key(key: string): void {
    if (UP_KEYS.has(key)) this.following = false;
  }

  /** Whether the key scrolls down (so reaching the end may resume following). */
  static scrollsDown(key: string): boolean {
    return DOWN_KEYS.has(key);
  }

  /** A scroll event: the list's own moves are ignored; the user's up stops, the user's to the end resumes. */
  scrolled(box: ScrollBox): void {
    const top = box.scrollTop;
    if (this.ownTop !== null && Math.abs(top - this.ownTop) < 1) {
      this.ownTop = null;
      this.lastTop = top;
      return;
    }
    this.ownTop = null;
    if (top < this.lastTop - 0.5) this.following = false;
    else if (top > this.lastTop && box.scrollHeight - top - box.clientHeight <= BOTTOM_SLACK) this.following = true;
    this.lastTop = top;
  }
}
