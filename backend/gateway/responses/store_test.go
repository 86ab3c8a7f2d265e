package responses

import (
	"strings"
	"testing"
	"thinkcloud/backend/gateway"
	"time"
)

func msg(text string) Item {
	return Item{Type: TypeMessage, Role: "user", Content: Parts{{Type: PartInputText, Text: text}}}
}

func texts(items []Item) string {
	var out []string
	for _, it := range items {
		t, _ := it.Content.Text("")
		out = append(out, t)
	}
	return strings.Join(out, ",")
}

// clock is a test clock moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestStoreChain(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1000, 0)}
	s := &Store{Now: c.now}
	s.Save("resp_tc_1", "", []Item{msg("q1")}, []Item{msg("a1")}, nil)
	s.Save("resp_tc_2", "resp_tc_1", []Item{msg("q2")}, []Item{msg("a2")}, nil)
	items, e := s.History("resp_tc_2")
	if e != nil || texts(items) != "q1,a1,q2,a2" {
		t.Fatalf("History = %q, %v", texts(items), e)
	}
	// A branch from the first response sees only its own line.
	s.Save("resp_tc_3", "resp_tc_1", []Item{msg("q3")}, []Item{msg("a3")}, nil)
	if items, _ := s.History("resp_tc_3"); texts(items) != "q1,a1,q3,a3" {
		t.Errorf("branch: %q", texts(items))
	}
}

func TestStoreExpiry(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1000, 0)}
	s := &Store{Now: c.now, TTL: time.Hour}
	s.Save("resp_tc_1", "", []Item{msg("q1")}, nil, nil)
	s.Save("resp_tc_2", "resp_tc_1", []Item{msg("q2")}, nil, nil)
	c.t = c.t.Add(50 * time.Minute)
	if _, e := s.History("resp_tc_2"); e != nil { // using the chain keeps all of it
		t.Fatal(e)
	}
	c.t = c.t.Add(50 * time.Minute)
	if _, e := s.History("resp_tc_2"); e != nil {
		t.Fatalf("used 50 minutes ago: %v", e)
	}
	c.t = c.t.Add(61 * time.Minute)
	_, e := s.History("resp_tc_2")
	if e == nil || e.Status != 400 || e.Code != "previous_response_expired" || e.Param != "previous_response_id" {
		t.Fatalf("after the TTL: got %v", e)
	}
	for _, want := range []string{"resp_tc_2", "has expired", "1h0m0s", "256", "32 MiB", "not across restarts", "whole conversation"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
	if s.Len() != 0 {
		t.Errorf("%d entries left after expiry", s.Len())
	}
}

func TestStoreBounds(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Unix(1000, 0)}
	s := &Store{Now: c.now, MaxEntries: 3}
	for _, id := range []string{"resp_tc_1", "resp_tc_2", "resp_tc_3"} {
		s.Save(id, "", []Item{msg(id)}, nil, nil)
	}
	s.History("resp_tc_1") // now the most recently used
	s.Save("resp_tc_4", "", []Item{msg("4")}, nil, nil)
	if s.Len() != 3 {
		t.Fatalf("%d entries; want 3", s.Len())
	}
	if _, e := s.History("resp_tc_2"); e == nil || e.Code != "previous_response_expired" {
		t.Errorf("least recently used not evicted: %v", e)
	}
	if _, e := s.History("resp_tc_1"); e != nil {
		t.Errorf("recently used evicted: %v", e)
	}

	big := &Store{Now: c.now, MaxBytes: 200}
	big.Save("resp_tc_a", "", []Item{msg(strings.Repeat("a", 120))}, nil, nil)
	big.Save("resp_tc_b", "", []Item{msg(strings.Repeat("b", 120))}, nil, nil)
	if big.Len() != 1 {
		t.Fatalf("over MaxBytes: %d entries", big.Len())
	}
	if _, e := big.History("resp_tc_b"); e != nil {
		t.Errorf("the newest entry was evicted: %v", e)
	}
	// A chain whose older half was evicted says which response is gone.
	big.Save("resp_tc_c", "resp_tc_a", []Item{msg("c")}, nil, nil)
	if _, e := big.History("resp_tc_c"); e == nil || !strings.Contains(e.Message, `"resp_tc_a", which it continues`) {
		t.Errorf("broken chain: %v", e)
	}
}

func TestStoreUnknown(t *testing.T) {
	t.Parallel()
	var s Store
	_, e := s.History("resp_abc123")
	if e == nil || e.Status != 400 || e.Code != "previous_response_not_found" || !strings.Contains(e.Message, "did not make it") {
		t.Errorf("got %v", e)
	}
}

func TestStoreResponseInputItemsDelete(t *testing.T) {
	s := &Store{}
	s.Save("resp_tc_1", "", []Item{msg("q1"), {Type: TypeMessage, ID: "msg_given", Role: "user"}}, []Item{msg("a1")}, []byte(`{"id":"resp_tc_1"}`))
	if b, e := s.Response("resp_tc_1"); e != nil || string(b) != `{"id":"resp_tc_1"}` {
		t.Fatalf("Response: %s %v", b, e)
	}
	in, e := s.InputItems("resp_tc_1")
	if e != nil || len(in) != 2 || in[0].ID != "in_1_0" || in[1].ID != "msg_given" {
		t.Fatalf("InputItems: %+v %v", in, e)
	}
	in[0].ID = "changed" // the caller's copy
	if again, _ := s.InputItems("resp_tc_1"); again[0].ID != "in_1_0" {
		t.Errorf("InputItems handed out the store's own items")
	}
	if e := s.Delete("resp_tc_1"); e != nil {
		t.Fatal(e)
	}
	for _, e := range []*gateway.Error{s.Delete("resp_tc_1"), func() *gateway.Error { _, e := s.Response("resp_tc_1"); return e }()} {
		if e == nil || e.Status != 404 || e.Code != "response_not_found" {
			t.Errorf("after Delete: %+v", e)
		}
	}
	if s.Len() != 0 {
		t.Errorf("Len %d after Delete", s.Len())
	}
}
