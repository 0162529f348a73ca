import { Session } from './api.js';

/** One of the page's views beside the overview: a tab of the navigation, owning its part of the hash. */
export interface View {
  /** The hash's first word: `#invoices?…`, `#reconciliation/<ban>/<period>`. */
  readonly id: string;
  /** The tab's label, Traditional Chinese then English. */
  readonly label: string;
  /**
   * Shows the view in its own element for what follows its id in the hash (`/…`, `?…` or ''), and again whenever
   * that changes: build once, then update in place, so focus and scroll stay where the person left them.
   */
  show(root: HTMLElement, route: string, session: Session): void | Promise<void>;
  /** Another view is shown: stop polling. */
  hide?(): void;
}
