// PGlite whose statements are parsed once and then run by name (issue 11, docs/benchmarks.md
// "PGlite's cost per statement"). Plain JavaScript on purpose: the server (open.ts) and the
// worker thread (pglite-worker.js) open the embedded database the same way.
//
// PGlite 0.5's `query(text, params)` runs every statement as an unnamed one, in six separate
// entries into Postgres's loop: Parse (the text parsed and analysed again), Describe statement
// (for the parameters' types), Bind (where an unnamed statement is planned), Describe portal,
// Execute, and Sync. `StatementReusingPGlite` keeps a statement it has run as a named
// prepared statement of the one backend: the first run sends Parse and Describe (and Sync) in
// one entry and remembers the parameter types and the row description; every run then sends
// Bind, Execute and Sync in one entry. Postgres's plan cache then decides, as for any prepared
// statement, whether to keep a generic plan (no planning at Bind) or to plan each run.
//
// What a caller sees is unchanged: the same rows, fields and affected rows (PGlite's own
// `parseResults` rules on the same messages, without its merge of every parser per statement), the same errors with the same fields (PGlite's
// `makePGliteError`: `query`, `params`, `queryOptions`), and the same queueing (PGlite's own
// transaction and query mutexes). Left to PGlite itself: a query with a blob (COPY), with
// explicit `paramTypes`, a text that is not one DML statement (DDL, SET, several statements,
// migrations), and one with more than MAX_STATEMENT_PARAMETERS parameters (a large batch, whose
// text rarely comes back). At most MAX_STATEMENTS texts stay prepared; the least recently used
// is closed (a Close message) when another is prepared. A statement that fails is closed too
// and prepared again on its next run (unless the error is one of the values or of the transaction:
// a duplicate key, a serialization failure), so a schema change under a cached plan ("cached
// plan must not change result type") costs one failed statement, never a wedged one.
import { PGlite, protocol } from '@electric-sql/pglite';

const { serialize } = protocol;

/**
 * PGlite's wire serializer writes every Bind into one buffer shared by the whole process (its
 * pg-protocol `Writer`). A value it cannot write (a serializer that gave back no text: a number
 * for a `text[]` parameter, whose array serializer returns what is not an array as it is)
 * throws half-way, and the half-written Bind stays in that buffer: the next statement of ANY
 * PGlite client in the process went out behind it, and failed ("invalid message format",
 * "prepared statement does not exist") or bound other values than its own (a `3` read as
 * ''): pglite-statements.spec.ts. Here the failed Bind is written to its end, which empties
 * the buffer, and the error goes to its caller only. The same object is PGlite's own (its
 * `query` calls `protocol.serialize.bind`), so its own statements are guarded too.
 */
function guardBind() {
  const bind = serialize.bind;
  if (/** @type {{ guarded?: boolean }} */ (bind).guarded) return;
  /** @type {typeof serialize.bind} */
  const guarded = (config) => {
    try {
      return bind(config);
    } catch (error) {
      // An empty Bind flushes both of the serializer's buffers (its message and its values).
      bind({});
      throw error;
    }
  };
  Object.assign(guarded, { guarded: true });
  serialize.bind = guarded;
}
guardBind();

/** At most this many parameters in a statement kept prepared (rows.ts MAX_REUSED_PARAMETERS). */
export const MAX_STATEMENT_PARAMETERS = 200;
/** At most this many statement texts kept prepared at once. */
export const MAX_STATEMENTS = 500;

/** A SELECT / INSERT / UPDATE / DELETE / WITH statement, maybe in parentheses (a union). */
const DML = /^[\s(]*(?:select|insert|update|delete|with)\b/i;

/**
 * @typedef {object} PreparedStatement
 * @property {string} name
 * @property {number[]} types the parameters' type oids (Postgres's ParameterDescription)
 * @property {import('@electric-sql/pglite').messages.RowDescriptionMessage | null} description
 */

/**
 * @param {Uint8Array[]} parts
 * @returns {Uint8Array}
 */
function concat(parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * @param {unknown} error
 * @param {string} query
 * @param {unknown[]} params
 * @param {import('@electric-sql/pglite').QueryOptions | undefined} options
 */
function withQuery(error, query, params, options) {
  // PGlite's makePGliteError: the same three fields on the same DatabaseError.
  if (error instanceof Error && 'code' in error) {
    Object.assign(error, { query, params, queryOptions: options });
  }
  return error;
}

/**
 * SQLSTATE classes of errors that leave the statement itself good: data exceptions (22),
 * integrity constraints (23), invalid transaction state (25), transaction rollback (40),
 * raised by PL/pgSQL (P0).
 * @param {unknown} error
 */
function keepsStatement(error) {
  const code = /** @type {{ code?: unknown }} */ (error)?.code;
  return typeof code === 'string' && /^(22|23|25|40|P0)/.test(code);
}

export class StatementReusingPGlite extends PGlite {
  /** @type {Map<string, PreparedStatement>} text -> its prepared statement (least recent first) */
  #statements = new Map();
  /** Names of statements to close with the next message sent. */
  #toClose = /** @type {string[]} */ ([]);
  #next = 0;
  /** Statements prepared (Parse messages sent) by this instance: the specs count them. */
  prepared = 0;

  /**
   * @param {string} text
   * @param {unknown[] | undefined} params
   * @param {import('@electric-sql/pglite').QueryOptions | undefined} options
   */
  #reusable(text, params, options) {
    return (
      DML.test(text) &&
      !/;\s*\S/.test(text) &&
      (params?.length ?? 0) <= MAX_STATEMENT_PARAMETERS &&
      options?.blob === undefined &&
      options?.paramTypes === undefined
    );
  }

  /**
   * @template T
   * @param {string} query
   * @param {any[]} [params]
   * @param {import('@electric-sql/pglite').QueryOptions} [options]
   * @returns {Promise<import('@electric-sql/pglite').Results<T>>}
   */
  async query(query, params, options) {
    if (!this.#reusable(query, params, options)) return super.query(query, params, options);
    await this._checkReady();
    return this._runExclusiveTransaction(() => this.#run(query, params ?? [], options, true));
  }

  /**
   * PGlite's transaction, whose `query` runs its statements by name too.
   * @template T
   * @param {(tx: import('@electric-sql/pglite').Transaction) => Promise<T>} callback
   * @returns {Promise<T>}
   */
  async transaction(callback) {
    return super.transaction((tx) => {
      /** @type {import('@electric-sql/pglite').Transaction} */
      const wrapped = {
        query: async (query, params, options) => {
          if (!this.#reusable(query, params, options)) return tx.query(query, params, options);
          if (tx.closed) throw new Error('Transaction is closed');
          return this.#run(query, params ?? [], options, false);
        },
        sql: (strings, ...params) => tx.sql(strings, ...params),
        exec: (query, options) => tx.exec(query, options),
        rollback: () => tx.rollback(),
        listen: (channel, listener) => tx.listen(channel, listener),
        get closed() {
          return tx.closed;
        },
      };
      return callback(wrapped);
    });
  }

  /**
   * One statement by name, inside PGlite's query mutex.
   * @param {string} query
   * @param {any[]} params
   * @param {import('@electric-sql/pglite').QueryOptions | undefined} options
   * @param {boolean} outsideTransaction
   * @returns {Promise<any>}
   */
  #run(query, params, options, outsideTransaction) {
    return this._runExclusiveQuery(async () => {
      const noSync = { syncToFs: false, onNotice: options?.onNotice };
      let statement = this.#statements.get(query);
      try {
        if (statement) {
          // Most recently used last: the first is the one to close.
          this.#statements.delete(query);
          this.#statements.set(query, statement);
        } else {
          statement = await this.#prepare(query, noSync);
        }
        const values = params.map((param, i) => {
          if (param === null || param === undefined) return null;
          const oid = /** @type {PreparedStatement} */ (statement).types[i];
          const serializer =
            oid === undefined ? undefined : (options?.serializers?.[oid] ?? this.serializers[oid]);
          return serializer ? serializer(param) : param.toString();
        });
        const messages = await this.execProtocolStream(
          concat([
            ...this.#closing(),
            serialize.bind({ statement: statement.name, values }),
            serialize.execute({}),
            serialize.sync(),
          ]),
          noSync,
        );
        if (outsideTransaction) await this.syncToFs();
        return this.#results(statement, messages, options);
      } catch (error) {
        // Prepared again on its next run (a cached plan whose result type changed, …); kept
        // after an error of the values or the transaction (a duplicate key, a serialization
        // failure, an aborted transaction), which says nothing about the statement.
        if (statement && this.#statements.get(query) === statement && !keepsStatement(error)) {
          this.#statements.delete(query);
          this.#toClose.push(statement.name);
        }
        throw withQuery(error, query, params, options);
      }
    });
  }

  /**
   * Parse and Describe (and Sync) in one entry; the statement is kept once both succeeded.
   * @param {string} query
   * @param {import('@electric-sql/pglite').ExecProtocolOptions} noSync
   * @returns {Promise<PreparedStatement>}
   */
  async #prepare(query, noSync) {
    if (this.#statements.size >= MAX_STATEMENTS) {
      const [oldest, evicted] = this.#statements.entries().next().value ?? [];
      if (oldest !== undefined && evicted) {
        this.#statements.delete(oldest);
        this.#toClose.push(evicted.name);
      }
    }
    const name = `kraam_${++this.#next}`;
    this.prepared++;
    const messages = await this.execProtocolStream(
      concat([
        ...this.#closing(),
        serialize.parse({ name, text: query }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      noSync,
    );
    /** @type {PreparedStatement} */
    const statement = { name, types: [], description: null };
    for (const message of messages) {
      if (message.name === 'parameterDescription') {
        statement.types = /** @type {any} */ (message).dataTypeIDs;
      } else if (message.name === 'rowDescription') {
        statement.description = /** @type {any} */ (message);
      }
    }
    this.#statements.set(query, statement);
    return statement;
  }

  /**
   * PGlite's `parseResults` for one statement, the same object for the same messages, without
   * merging the caller's parsers into PGlite's 300-odd ones on every statement (Drizzle gives
   * its own with each query): each column's parser is looked up once, the caller's first.
   * @param {PreparedStatement} statement
   * @param {import('@electric-sql/pglite').messages.BackendMessage[]} messages
   * @param {import('@electric-sql/pglite').QueryOptions | undefined} options
   * @returns {import('@electric-sql/pglite').Results<any>}
   */
  #results(statement, messages, options) {
    const columns = statement.description?.fields ?? [];
    const fields = columns.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID }));
    const parsers = columns.map(
      (field) => options?.parsers?.[field.dataTypeID] ?? this.parsers[field.dataTypeID],
    );
    /** @param {string | null} value @param {number} i */
    const parse = (value, i) => {
      if (value === null) return null;
      const parser = parsers[i];
      return parser ? parser(value, columns[i]?.dataTypeID ?? 0) : value;
    };
    const arrays = options?.rowMode === 'array';
    /** @type {any[]} */
    const rows = [];
    for (const message of messages) {
      if (message.name === 'dataRow') {
        const values = /** @type {import('@electric-sql/pglite').messages.DataRowMessage} */ (
          message
        ).fields;
        if (arrays) rows.push(values.map(parse));
        else
          rows.push(
            Object.fromEntries(values.map((value, i) => [columns[i]?.name, parse(value, i)])),
          );
      } else if (message.name === 'commandComplete') {
        // PGlite's reading of the command tag ("SELECT 2", "INSERT 0 5", "CREATE TABLE").
        const parts =
          /** @type {import('@electric-sql/pglite').messages.CommandCompleteMessage} */ (
            message
          ).text.split(' ');
        const command = parts[0] ?? '';
        const rowCount = parseInt(parts[parts.length - 1] ?? '', 10);
        const changes = ['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command);
        /** @type {import('@electric-sql/pglite').Results<any>} */
        const result = { rows, fields, command, affectedRows: changes ? rowCount : 0 };
        if (!Number.isNaN(rowCount)) result.rowCount = rowCount;
        return result;
      }
    }
    return { affectedRows: 0, rows: [], fields: [] };
  }

  /** Close messages for the statements given up since the last message. */
  #closing() {
    const closes = this.#toClose.map((name) => serialize.close({ type: 'S', name }));
    this.#toClose = [];
    return closes;
  }
}
