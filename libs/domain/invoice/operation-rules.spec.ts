import { DomainError } from '../domain-error';
import { OperationState, checkAllowance, checkAllowanceVoid, checkResend, checkVoid } from './operation-rules';

const DEADLINE = new Date('2026-03-15T15:59:59.999Z');
const BEFORE = new Date('2026-03-01T00:00:00Z');
const AFTER = new Date('2026-03-16T00:00:00Z');

const accepted = (over: Partial<OperationState> = {}): OperationState => ({
  invoiceNumber: 'AB12345678',
  state: 'accepted',
  f0401Accepted: true,
  uploadInFlight: false,
  voidRequestKey: null,
  allowances: [],
  filingDeadline: DEADLINE,
  ...over,
});

function refusal(check: () => unknown): { kind: string; code: string } {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code };
    throw error;
  }
  throw new Error('the check passed');
}

const voidOf = (over: Partial<Parameters<typeof checkVoid>[1]> = {}) => ({ key: 'k1', reason: '退貨', mode: 'void' as const, ...over });

describe('void rules', () => {
  it('lets an accepted invoice be voided before the filing deadline', () => {
    expect(checkVoid(accepted(), voidOf(), BEFORE)).toBe(true);
  });

  it('treats the same key again as a repeat, whatever the state now', () => {
    expect(checkVoid(accepted({ state: 'voided', voidRequestKey: 'k1' }), voidOf(), AFTER)).toBe(false);
  });

  it.each([
    ['an empty reason', voidOf({ reason: '  ' }), accepted(), { kind: 'invalid', code: 'VOID.REASON_INVALID' }],
    ['a reason over 20 characters', voidOf({ reason: '理'.repeat(21) }), accepted(), { kind: 'invalid', code: 'VOID.REASON_INVALID' }],
    ['a voided invoice', voidOf({ key: 'k2' }), accepted({ state: 'voided', voidRequestKey: 'k1' }), { kind: 'conflict', code: 'VOID.ALREADY' }],
    ['live allowances', voidOf(), accepted({ allowances: [{ number: 'AL1', live: true }] }), { kind: 'conflict', code: 'VOID.LIVE_ALLOWANCES' }],
    ['a rejected upload', voidOf(), accepted({ state: 'rejected', f0401Accepted: false }), { kind: 'conflict', code: 'VOID.NOT_UPLOADED' }],
    ['blank cancel of an accepted invoice', voidOf({ mode: 'cancel_blank' }), accepted(), { kind: 'conflict', code: 'VOID.ALREADY_UPLOADED' }],
    [
      'blank cancel while uploading',
      voidOf({ mode: 'cancel_blank' }),
      accepted({ state: 'uploading', f0401Accepted: false, uploadInFlight: true }),
      { kind: 'conflict', code: 'VOID.UPLOAD_IN_FLIGHT' },
    ],
  ])('refuses %s', (_what, request, state, expected) => {
    expect(refusal(() => checkVoid(state, request, BEFORE))).toEqual(expected);
  });

  it('needs an approval number after the filing deadline, and takes one', () => {
    expect(refusal(() => checkVoid(accepted(), voidOf(), AFTER))).toEqual({ kind: 'invalid', code: 'VOID.APPROVAL_REQUIRED' });
    expect(checkVoid(accepted(), voidOf({ approvalNumber: '財北國稅字第1150001號' }), AFTER)).toBe(true);
  });

  it('lets a rejected, never accepted invoice be cancelled as blank', () => {
    expect(checkVoid(accepted({ state: 'rejected', f0401Accepted: false }), voidOf({ mode: 'cancel_blank' }), AFTER)).toBe(true);
  });
});

describe('allowance rules', () => {
  it('takes a new allowance on an accepted invoice and recognises a repeated key', () => {
    expect(checkAllowance(accepted(), 'a1')).toBe(true);
    expect(checkAllowance(accepted({ allowances: [{ number: 'AL1', live: true, requestKey: 'a1' }] }), 'a1')).toBe(false);
  });

  it('refuses a voided or rejected invoice', () => {
    expect(refusal(() => checkAllowance(accepted({ state: 'voided' }), 'a1')).code).toBe('ALLOWANCE.INVOICE_VOIDED');
    expect(refusal(() => checkAllowance(accepted({ state: 'cancelled_blank' }), 'a1')).code).toBe('ALLOWANCE.INVOICE_VOIDED');
    expect(refusal(() => checkAllowance(accepted({ state: 'rejected' }), 'a1')).code).toBe('ALLOWANCE.INVOICE_REJECTED');
  });

  it('voids a live allowance once, with a reason', () => {
    const state = accepted({ allowances: [{ number: 'AL1', live: true, voidRequestKey: null }] });
    expect(checkAllowanceVoid(state, { key: 'v1', allowanceNumber: 'AL1', reason: '折讓錯誤' })).toBe(true);
    expect(refusal(() => checkAllowanceVoid(state, { key: 'v1', allowanceNumber: 'AL2', reason: '折讓錯誤' }))).toEqual({ kind: 'not_found', code: 'ALLOWANCE.NOT_FOUND' });
    expect(refusal(() => checkAllowanceVoid(state, { key: 'v1', allowanceNumber: 'AL1', reason: '' }))).toEqual({ kind: 'invalid', code: 'ALLOWANCE.REASON_INVALID' });
    const voided = accepted({ allowances: [{ number: 'AL1', live: false, voidRequestKey: 'v1' }] });
    expect(checkAllowanceVoid(voided, { key: 'v1', allowanceNumber: 'AL1', reason: '折讓錯誤' })).toBe(false);
    expect(refusal(() => checkAllowanceVoid(voided, { key: 'v2', allowanceNumber: 'AL1', reason: '折讓錯誤' })).code).toBe('ALLOWANCE.ALREADY_VOIDED');
  });
});

describe('resend rules', () => {
  it('resends a rejected invoice or a rejected follow-up message, nothing else', () => {
    expect(() => checkResend(accepted({ state: 'rejected' }), false)).not.toThrow();
    expect(() => checkResend(accepted(), true)).not.toThrow();
    expect(refusal(() => checkResend(accepted(), false))).toEqual({ kind: 'conflict', code: 'INVOICE.NOT_RESENDABLE' });
  });
});
