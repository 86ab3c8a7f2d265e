//go:build !windows

package tray

import (
	"errors"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	"thinkcloud/backend/tray/traytest"
)

func TestNoHostMeansNoTray(t *testing.T) {
	t.Parallel()
	addr := traytest.Bus(t)
	_, err := Start(Options{Conn: traytest.Conn(t, addr)})
	if !errors.Is(err, ErrNoHost) {
		t.Fatalf("got %v; want ErrNoHost", err)
	}
}

// labelsOf reads the menu as a host does.
func labelsOf(t *testing.T, obj dbus.BusObject) []string {
	t.Helper()
	var rev uint32
	var root layout
	if err := obj.Call(menuIface+".GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, c := range root.Children {
		var item layout
		if err := dbus.Store([]any{c.Value()}, &item); err != nil {
			t.Fatal(err)
		}
		if l, ok := item.Props["label"]; ok {
			labels = append(labels, l.Value().(string))
		}
	}
	return labels
}

func TestRegistersAndRunsTheMenu(t *testing.T) {
	t.Parallel()
	addr := traytest.Bus(t)
	w, err := traytest.Serve(traytest.Conn(t, addr))
	if err != nil {
		t.Fatal(err)
	}
	opened, toggled, quit := make(chan struct{}, 1), make(chan struct{}, 1), make(chan struct{}, 1)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Start(Options{Conn: conn, Actions: Actions{
		Open:   func() { opened <- struct{}{} },
		Toggle: func() { toggled <- struct{}{} },
		Quit:   func() { quit <- struct{}{} },
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if got := <-w.Registered(); got != tr.Name() {
		t.Fatalf("watcher got %q; want %q", got, tr.Name())
	}

	host := traytest.Conn(t, addr)
	item := host.Object(tr.Name(), itemPath)
	v, err := item.GetProperty(itemIface + ".Menu")
	if err != nil || v.Value().(dbus.ObjectPath) != MenuPath {
		t.Fatalf("Menu property: got %v, %v; want %s", v, err, MenuPath)
	}
	menuObj := host.Object(tr.Name(), MenuPath)
	tr.SetEndpoint("127.0.0.1:8000", "listening", true)
	got := strings.Join(labelsOf(t, menuObj), " | ")
	if want := "Open ThinkCloud | Endpoint: 127.0.0.1:8000 (listening) | Stop the endpoint | Quit"; got != want {
		t.Fatalf("menu: got %q; want %q", got, want)
	}
	tr.SetEndpoint("127.0.0.1:8000", "stopped", false)
	if got := labelsOf(t, menuObj)[2]; got != "Start the endpoint" {
		t.Fatalf("switch when stopped: got %q", got)
	}

	click := func(id int32) {
		if err := menuObj.Call(menuIface+".Event", 0, id, "clicked", dbus.MakeVariant(int32(0)), uint32(0)).Err; err != nil {
			t.Fatal(err)
		}
	}
	click(idToggle)
	<-toggled
	click(idQuit)
	<-quit
	if err := item.Call(itemIface+".Activate", 0, int32(0), int32(0)).Err; err != nil {
		t.Fatal(err)
	}
	<-opened
}

func TestLabelsFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, env string
		want      Labels
	}{
		{"zh-CN", "en_US.UTF-8", ChineseLabels},
		{"", "zh_CN.UTF-8", ChineseLabels},
		{"", "de_DE.UTF-8", EnglishLabels},
		{"en", "zh_CN.UTF-8", EnglishLabels},
	} {
		if got := LabelsFor(tc.lang, tc.env); got != tc.want {
			t.Errorf("LabelsFor(%q, %q) = %v; want %v", tc.lang, tc.env, got.Quit, tc.want.Quit)
		}
	}
}
