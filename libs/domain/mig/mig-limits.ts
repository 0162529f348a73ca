/**
 * MIG 4.1 field limits from the official 4.1 schemas (lengths in characters). The platform refuses a message that
 * breaks one, so inputs are checked against this table at the edge, and the simulator checks received messages too.
 */
export const MIG_LIMITS = {
  name: { min: 1, max: 60 },
  address: { max: 100 },
  emailAddress: { max: 400 },
  mainRemark: { max: 200 },
  description: { min: 1, max: 500 },
  unit: { max: 6 },
  lineRemark: { max: 120 },
  lineRelateNumber: { max: 50 },
  relateNumber: { max: 20 },
  items: { min: 1, max: 9999 },
  carrierId: { max: 400 },
  allowanceNumber: { min: 1, max: 16 },
  cancelReason: { min: 1, max: 20 },
  returnTaxDocumentNumber: { max: 60 },
  cancelRemark: { max: 200 },
  blankItems: { min: 1, max: 10000 },
  /** Quantity, UnitPrice, Amount: digits in all and after the point. */
  decimal: { digits: 20, fraction: 7 },
} as const;
