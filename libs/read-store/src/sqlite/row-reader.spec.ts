import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { rowReader } from './row-reader.js';

describe('rowReader', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id TEXT, n INTEGER, x REAL, body TEXT, blob BLOB);
      INSERT INTO t VALUES ('a', 1, 1.5, '{"k":1}', x'00ff'), ('b', NULL, NULL, NULL, NULL), ('c', 9007199254740991, -0.25, '', x'')`);
  });

  afterEach(() => {
    db.close();
  });

  it('gives the rows better-sqlite3 gives as objects, NULLs, large integers and blobs included', () => {
    const sql = 'SELECT id, n, x, body, blob FROM t WHERE id >= ? ORDER BY id';
    expect(rowReader(db.prepare(sql))(['a'])).toEqual(db.prepare(sql).all('a'));
  });

  it('keeps the last value of a repeated column name, as object rows do', () => {
    const sql = "SELECT id AS v, n AS v, 'odd \"name' AS \"odd \"\"name\" FROM t WHERE id = ?";
    const rows = rowReader(db.prepare(sql))(['a']);
    expect(rows).toEqual(db.prepare(sql).all('a'));
    expect(rows).toEqual([{ v: 1, 'odd "name': 'odd "name' }]);
  });

  it('gives an empty list when nothing matches', () => {
    expect(rowReader(db.prepare('SELECT id FROM t WHERE id = ?'))(['none'])).toEqual([]);
  });
});
