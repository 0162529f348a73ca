import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OrderActivities, OrderSnapshot } from '../activities/order.activities';
import { domainErrorOf } from '../libs/contracts/failures';
import { OrderWorkflowInput, orderEventSignal, orderRequestKey } from '../libs/contracts/order-workflow';
import { OrderAction, OrderState, WaitingFor, applyDone, applyRefused, decideOrder, mergeEvent, orderState } from '../libs/domain/order/order-book';
import { OrderEvent } from '../libs/domain/order/order-event';

const io = proxyActivities<OrderActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A void or allowance waits inside the invoice's lifecycle until the invoice is uploaded: long, so heartbeating. */
const waiting = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Actions per run before it continues as new: an order's history stays small however long it lives. */
const MAX_STEPS_PER_RUN = 100;

/**
 * One order of one channel: takes its events (signal-with-start), decides by the order book what happened, and
 * issues, voids or enters allowances through the same services as the API. It reads the order from the database
 * when it starts and saves it before it ends; with nothing left to do it ends, and the next event starts it again.
 */
export async function orderEvents(input: OrderWorkflowInput): Promise<OrderState> {
  const inbox: OrderEvent[] = [];
  setHandler(orderEventSignal, (event) => void inbox.push(event));

  const { book, triggers } = await io.loadOrder(input);
  const saved = new Set(Object.keys(book.applied));
  let dirty = true;
  let steps = 0;

  async function save(waitingFor: WaitingFor[]): Promise<void> {
    const snapshot: OrderSnapshot = {
      state: orderState(book),
      waitingFor,
      attention: book.attention,
      reissue: book.reissue,
      closed: book.closed,
      issueRefusedAt: book.issueRefusedAt,
      seen: book.events.map((e) => e.eventId),
      applied: Object.entries(book.applied)
        .filter(([eventId]) => !saved.has(eventId))
        .map(([eventId, applied]) => ({ eventId, ...applied })),
    };
    await io.saveOrder(input, snapshot);
    for (const { eventId } of snapshot.applied) saved.add(eventId);
    dirty = false;
  }

  async function perform(action: Exclude<OrderAction, { kind: 'wait' }>): Promise<void> {
    if (action.kind === 'settle') return applyDone(book, action, Date.now());
    try {
      if (action.kind === 'issue') {
        applyDone(book, action, Date.now(), await io.issueOrderInvoice(input, action.contentEventId, action.content));
      } else if (action.kind === 'void') {
        await waiting.voidOrderInvoice(input, action.invoiceNumber, orderRequestKey(input, action.causeEventId), action.reason);
        applyDone(book, action, Date.now());
      } else {
        const { allowanceNumber, lines } = await waiting.enterOrderAllowance(input, action.invoiceNumber, orderRequestKey(input, action.causeEventId), action.request, action.reason);
        applyDone(book, action, Date.now(), { allowanceNumber, lines });
      }
    } catch (error) {
      // A refusal (a domain error) is the order's to record; anything else is the workflow's to fail on.
      const refusal = domainErrorOf(error);
      if (!refusal) throw error;
      applyRefused(book, action, { code: refusal.code, message: refusal.message }, Date.now());
    }
  }

  for (;;) {
    while (inbox.length > 0) if (mergeEvent(book, inbox.shift()!)) dirty = true;
    const action = decideOrder(book, triggers, Date.now());
    if (action.kind === 'wait') {
      // Saving awaits, and events may arrive meanwhile: end only once a pass finds nothing new.
      if (dirty) await save(action.waitingFor);
      else if (inbox.length === 0) return orderState(book);
      continue;
    }
    // A void or allowance may wait a while for the invoice's upload: show what is known meanwhile.
    if (dirty && (action.kind === 'void' || action.kind === 'allowance')) await save([]);
    await perform(action);
    dirty = true;
    if (++steps >= MAX_STEPS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await save([]);
      // The events still in the inbox are stored already: the next run reads them from the database.
      await continueAsNew<typeof orderEvents>(input);
    }
  }
}
