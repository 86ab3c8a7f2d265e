package usage

import "database/sql"

// rollGet and rollPut read and write one rollup row (rollStore).
const (
	rollGet = `SELECT requests, errors, tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost, estimated, lat, ttft FROM rollup
		WHERE at = ? AND door = ? AND token = ? AND provider = ? AND model = ? AND currency = ? AND status = ?`
	rollPut = `INSERT OR REPLACE INTO rollup (at, door, token, provider, model, currency, status, requests, errors,
		tokens_in, tokens_out, tokens_reasoning, tokens_cached, cost, estimated, lat, ttft) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
)

// rollStore reads and writes rollup rows inside a transaction: through
// database/sql (sqlRoll: migrate, rebuild) or the writer's own connection
// (writer, insert.go).
type rollStore interface {
	// get returns the row at k, found false when there is none.
	get(k rollKey) (v rollVal, lat, ttft []byte, found bool, err error)
	put(k rollKey, v *rollVal) error
}

// store adds ru to the rollup table through s.
func (ru rollup) store(s rollStore) error {
	for k, v := range ru {
		o, lat, ttft, found, err := s.get(k)
		if err != nil {
			return err
		}
		if found {
			v.requests, v.errors, v.in, v.out, v.reasoning, v.cached, v.cost, v.estimated = v.requests+o.requests, v.errors+o.errors,
				v.in+o.in, v.out+o.out, v.reasoning+o.reasoning, v.cached+o.cached, v.cost+o.cost, v.estimated+o.estimated
			v.lat.merge(lat)
			v.ttft.merge(ttft)
		}
		if err := s.put(k, v); err != nil {
			return err
		}
	}
	return nil
}

// sqlRoll is a rollStore on a database/sql transaction.
type sqlRoll struct{ getStmt, putStmt *sql.Stmt }

// storeTx adds ru to the rollup within tx.
func (ru rollup) storeTx(tx *sql.Tx) error {
	get, err := tx.Prepare(rollGet)
	if err != nil {
		return err
	}
	defer get.Close()
	put, err := tx.Prepare(rollPut)
	if err != nil {
		return err
	}
	defer put.Close()
	return ru.store(sqlRoll{get, put})
}

func (s sqlRoll) get(k rollKey) (o rollVal, lat, ttft []byte, found bool, err error) {
	err = s.getStmt.QueryRow(k.at, k.door, k.token, k.provider, k.model, k.cur, k.status).Scan(&o.requests, &o.errors, &o.in, &o.out,
		&o.reasoning, &o.cached, &o.cost, &o.estimated, &lat, &ttft)
	if err == sql.ErrNoRows {
		return o, nil, nil, false, nil
	}
	return o, lat, ttft, err == nil, err
}

func (s sqlRoll) put(k rollKey, v *rollVal) error {
	_, err := s.putStmt.Exec(k.at, k.door, k.token, k.provider, k.model, k.cur, k.status, v.requests, v.errors,
		v.in, v.out, v.reasoning, v.cached, v.cost, v.estimated, v.lat.encode(), v.ttft.encode())
	return err
}
