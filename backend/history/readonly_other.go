//go:build !unix

package history

// unwritable finds no reason here; the SQLite error stands alone.
func unwritable(string) error { return nil }
