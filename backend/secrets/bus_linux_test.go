package secrets

import "testing"

func TestSessionBusAvailable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		addr   string
		socket bool
		want   bool
	}{
		{"unset, no socket", "", false, false},
		{"unset, runtime socket", "", true, true},
		{"disabled", "disabled:", false, false},
		{"disabled despite socket", "disabled:", true, false},
		{"autolaunch, no socket", "autolaunch:", false, false},
		{"unix path", "unix:path=/run/user/1000/bus", false, true},
		{"whitespace only", "  ", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			exists := func(p string) bool { return tc.socket && p == "/run/user/1000/bus" }
			if got := sessionBusAvailable(tc.addr, 1000, exists); got != tc.want {
				t.Errorf("sessionBusAvailable(%q, socket=%v) = %v; want %v", tc.addr, tc.socket, got, tc.want)
			}
		})
	}
}
