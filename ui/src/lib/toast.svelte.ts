// The window's single transient message: an action's outcome or something new. A new one
// replaces the current one, so there is never more than one on screen.

export type ToastTone = "ok" | "info" | "error";

export type ToastMessage = { id: number; text: string; tone: ToastTone };

/** How long a toast stays, unless replaced or dismissed. */
export const TOAST_MS = 6_000;

class Toasts {
  current = $state.raw<ToastMessage | null>(null);
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  show(text: string, tone: ToastTone = "ok", ms: number = TOAST_MS): void {
    clearTimeout(this.#timer);
    const id = ++this.#seq;
    this.current = { id, text, tone };
    this.#timer = setTimeout(() => {
      if (this.current?.id === id) this.current = null;
    }, ms);
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.current = null;
  }
}

export const toast = new Toasts();
