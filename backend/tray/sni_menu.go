//go:build !windows

package tray

import (
	"github.com/godbus/dbus/v5"
)

// layout is a dbusmenu node: (id, properties, children).
type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

type itemProps struct {
	ID    int32
	Props map[string]dbus.Variant
}

// menu is the com.canonical.dbusmenu object.
type menu struct{ t *Tray }

// items is the menu model as dbusmenu properties.
func (t *Tray) items() []itemProps {
	t.mu.Lock()
	addr, state, running := t.addr, t.state, t.running
	t.mu.Unlock()
	var out []itemProps
	for _, it := range Model(t.labels, addr, state, running) {
		props := map[string]dbus.Variant{}
		switch {
		case it.Separator:
			props["type"] = dbus.MakeVariant("separator")
		default:
			props["label"] = dbus.MakeVariant(it.Label)
			if !it.Enabled {
				props["enabled"] = dbus.MakeVariant(false)
			}
		}
		out = append(out, itemProps{it.ID, props})
	}
	return out
}

// GetLayout returns the whole menu; it is small enough that depth and
// property filters are not worth honouring.
func (m menu) GetLayout(parentID int32, depth int32, names []string) (uint32, layout, *dbus.Error) {
	m.t.mu.Lock()
	rev := m.t.revision
	m.t.mu.Unlock()
	root := layout{ID: idRoot, Props: map[string]dbus.Variant{"children-display": dbus.MakeVariant("submenu")}}
	for _, it := range m.t.items() {
		if parentID == it.ID {
			return rev, layout{ID: it.ID, Props: it.Props, Children: []dbus.Variant{}}, nil
		}
		root.Children = append(root.Children, dbus.MakeVariant(layout{ID: it.ID, Props: it.Props, Children: []dbus.Variant{}}))
	}
	return rev, root, nil
}

// GetGroupProperties returns the properties of the asked items.
func (m menu) GetGroupProperties(ids []int32, names []string) ([]itemProps, *dbus.Error) {
	var out []itemProps
	for _, it := range m.t.items() {
		for _, id := range ids {
			if id == it.ID {
				out = append(out, it)
			}
		}
	}
	return out, nil
}

// GetProperty returns one property of one item.
func (m menu) GetProperty(id int32, name string) (dbus.Variant, *dbus.Error) {
	for _, it := range m.t.items() {
		if it.ID == id {
			if v, ok := it.Props[name]; ok {
				return v, nil
			}
		}
	}
	return dbus.MakeVariant(""), nil
}

// Event runs the clicked item's action.
func (m menu) Event(id int32, eventID string, data dbus.Variant, timestamp uint32) *dbus.Error {
	if eventID != "clicked" {
		return nil
	}
	m.t.run(m.t.actions.action(id))
	return nil
}

// EventGroup runs several events; it returns the ids it did not know.
func (m menu) EventGroup(events []struct {
	ID        int32
	EventID   string
	Data      dbus.Variant
	Timestamp uint32
}) ([]int32, *dbus.Error) {
	for _, e := range events {
		m.Event(e.ID, e.EventID, e.Data, e.Timestamp)
	}
	return []int32{}, nil
}

// AboutToShow says the menu needs no update before showing.
func (m menu) AboutToShow(id int32) (bool, *dbus.Error) { return false, nil }

// AboutToShowGroup is AboutToShow for several items.
func (m menu) AboutToShowGroup(ids []int32) ([]int32, []int32, *dbus.Error) {
	return []int32{}, []int32{}, nil
}
