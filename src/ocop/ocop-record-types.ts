/**
 * The OCOP submission records as the decider and the router take them: plain data, no framework.
 * The DTO classes (ocop-records.ts) implement these with their validation rules.
 */
import type { RecordFields } from '../ledgers/submit/record-types';

export const OCOP_RECORD_TYPES = ['ocop-registered', 'ocop-rated', 'ocop-upgraded', 'ocop-downgraded', 'ocop-revoked', 'ocop-supported'] as const;
export type OcopRecordType = (typeof OCOP_RECORD_TYPES)[number];

export const OCOP_LEVELS = ['district', 'province', 'national'] as const;
export type OcopLevel = (typeof OCOP_LEVELS)[number];

/** The product as registered (Phụ lục 2's columns). */
export interface OcopProductFields {
  id: string;
  name: string;
  producer: string;
  address?: string;
  representative?: string;
  businessType: string;
  category: string;
  district: string;
}

/** A certificate the product already holds when it enters the ledger. */
export interface OcopRecognitionFields {
  stars: number;
  year: number;
}

export interface OcopRegisteredFields extends RecordFields {
  type: 'ocop-registered';
  product: OcopProductFields;
  recognised?: OcopRecognitionFields;
  on: string;
}

/** A council's rating in a round: what a first rating and an upgrade both say. */
interface OcopCouncilRatingFields extends RecordFields {
  product: string;
  stars: number;
  level: OcopLevel;
  round: string;
  on: string;
  council: string;
  decision?: string;
}

export interface OcopRatedFields extends OcopCouncilRatingFields {
  type: 'ocop-rated';
}

export interface OcopUpgradedFields extends OcopCouncilRatingFields {
  type: 'ocop-upgraded';
}

export interface OcopDowngradedFields extends RecordFields {
  type: 'ocop-downgraded';
  product: string;
  stars: number;
  on: string;
  reason: string;
  decision: string;
}

export interface OcopRevokedFields extends RecordFields {
  type: 'ocop-revoked';
  product: string;
  on: string;
  reason: string;
  decision: string;
}

export interface OcopSupportedFields extends RecordFields {
  type: 'ocop-supported';
  product: string;
  on: string;
  activity: string;
}

export type OcopRecord = OcopRegisteredFields | OcopRatedFields | OcopUpgradedFields | OcopDowngradedFields | OcopRevokedFields | OcopSupportedFields;

/** The product id a record is about (the stream it goes to). */
export function productIdOf(record: OcopRecord): string {
  return record.type === 'ocop-registered' ? record.product.id : record.product;
}
