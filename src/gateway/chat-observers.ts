// Several observers of finished chat requests (metrics, the access log, recent failures) behind the
// one observer a ChatExchange reports to.

import type { ChatExchange, ChatObserver } from './chat-exchange.js';

/** Reports each exchange to every observer, in order. */
class ObserverFanOut implements ChatObserver {
  constructor(private readonly observers: readonly ChatObserver[]) {}

  chatFinished(exchange: ChatExchange): void {
    for (let i = 0; i < this.observers.length; i++) (this.observers[i] as ChatObserver).chatFinished(exchange);
  }
}

/** One observer for all of `observers` (nulls dropped): null for none, the observer itself for one. */
export function combineObservers(observers: readonly (ChatObserver | null)[]): ChatObserver | null {
  const present = observers.filter((o): o is ChatObserver => o !== null);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0] as ChatObserver;
  return new ObserverFanOut(present);
}
