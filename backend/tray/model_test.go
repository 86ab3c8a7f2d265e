package tray

import (
	"reflect"
	"testing"
)

// The menu both platforms show, from the endpoint's state.
func TestModel(t *testing.T) {
	t.Parallel()
	labels := func(items []Item) []string {
		var out []string
		for _, it := range items {
			if it.Separator {
				out = append(out, "---")
			} else {
				out = append(out, it.Label)
			}
		}
		return out
	}
	got := labels(Model(EnglishLabels, "127.0.0.1:8000", "listening", true))
	want := []string{"Open ThinkCloud", "Endpoint: 127.0.0.1:8000 (listening)", "Stop the endpoint", "---", "Quit"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("listening: got %q; want %q", got, want)
	}
	got = labels(Model(ChineseLabels, "", "off", false))
	want = []string{"打开 ThinkCloud", "本地接口：—（off）", "启动本地接口", "---", "退出"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stopped, Chinese: got %q; want %q", got, want)
	}
	for _, it := range Model(EnglishLabels, "x", "y", false) {
		clickable := it.ID == idOpen || it.ID == idToggle || it.ID == idQuit
		if it.Enabled != clickable {
			t.Errorf("item %d %q: enabled %v; want %v", it.ID, it.Label, it.Enabled, clickable)
		}
	}
}

// Each clickable item runs its own action; the others run nothing.
func TestActions(t *testing.T) {
	t.Parallel()
	var ran []string
	a := Actions{
		Open:   func() { ran = append(ran, "open") },
		Toggle: func() { ran = append(ran, "toggle") },
		Quit:   func() { ran = append(ran, "quit") },
	}
	for _, it := range Model(EnglishLabels, "a", "b", true) {
		if fn := a.action(it.ID); fn != nil {
			fn()
		}
	}
	if want := []string{"open", "toggle", "quit"}; !reflect.DeepEqual(ran, want) {
		t.Fatalf("ran %q; want %q", ran, want)
	}
	if a.action(idEndpoint) != nil || a.action(idSeparator) != nil || a.action(99) != nil {
		t.Fatal("a non-clickable item has an action")
	}
}
