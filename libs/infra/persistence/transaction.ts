import type { EntityManager } from 'typeorm';

/**
 * The unit of work a service hands to its repositories: statements run on it commit or roll back together. Services
 * name it; only repositories (and this file) know it is TypeORM's EntityManager.
 */
export type Transaction = EntityManager;
