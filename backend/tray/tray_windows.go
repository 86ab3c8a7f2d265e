//go:build windows

// The tray on Windows: an icon in the notification area (Shell_NotifyIcon)
// owned by a hidden message-only window on a thread of its own, with its
// own message loop, so it never waits on the one WebView2 runs. A left
// click opens the window; a right click shows the menu (Model).
package tray

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	shell32  = windows.NewLazySystemDLL("shell32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	pShellNotifyIcon         = shell32.NewProc("Shell_NotifyIconW")
	pRegisterClassEx         = user32.NewProc("RegisterClassExW")
	pCreateWindowEx          = user32.NewProc("CreateWindowExW")
	pDestroyWindow           = user32.NewProc("DestroyWindow")
	pDefWindowProc           = user32.NewProc("DefWindowProcW")
	pGetMessage              = user32.NewProc("GetMessageW")
	pTranslateMessage        = user32.NewProc("TranslateMessage")
	pDispatchMessage         = user32.NewProc("DispatchMessageW")
	pPostMessage             = user32.NewProc("PostMessageW")
	pPostQuitMessage         = user32.NewProc("PostQuitMessage")
	pRegisterWindowMessage   = user32.NewProc("RegisterWindowMessageW")
	pCreatePopupMenu         = user32.NewProc("CreatePopupMenu")
	pAppendMenu              = user32.NewProc("AppendMenuW")
	pTrackPopupMenu          = user32.NewProc("TrackPopupMenu")
	pDestroyMenu             = user32.NewProc("DestroyMenu")
	pSetForegroundWindow     = user32.NewProc("SetForegroundWindow")
	pGetCursorPos            = user32.NewProc("GetCursorPos")
	pLoadIcon                = user32.NewProc("LoadIconW")
	pCreateIconFromResourceE = user32.NewProc("CreateIconFromResourceEx")
	pGetModuleHandle         = kernel32.NewProc("GetModuleHandleW")
)

const (
	nimAdd    = 0
	nimModify = 1
	nimDelete = 2

	nifMessage = 0x1
	nifIcon    = 0x2
	nifTip     = 0x4

	wmNull        = 0x0000
	wmClose       = 0x0010
	wmDestroy     = 0x0002
	wmCommand     = 0x0111
	wmLButtonUp   = 0x0202
	wmRButtonUp   = 0x0205
	wmContextMenu = 0x007B
	wmApp         = 0x8000
	wmTrayIcon    = wmApp + 1 // the icon's callback message
	wmTrayTip     = wmApp + 2 // SetEndpoint: refresh the tooltip

	mfString    = 0x0
	mfGrayed    = 0x1
	mfSeparator = 0x800

	tpmRightButton = 0x2
	tpmReturnCmd   = 0x100

	idiApplication = 32512
	hwndMessage    = ^uintptr(2) // HWND_MESSAGE, (HWND)-3
)

// notifyIconData is NOTIFYICONDATAW (Vista and later).
type notifyIconData struct {
	Size            uint32
	Wnd             windows.Handle
	ID              uint32
	Flags           uint32
	CallbackMessage uint32
	Icon            windows.Handle
	Tip             [128]uint16
	State           uint32
	StateMask       uint32
	Info            [256]uint16
	Version         uint32
	InfoTitle       [64]uint16
	InfoFlags       uint32
	GUIDItem        windows.GUID
	BalloonIcon     windows.Handle
}

type wndClassEx struct {
	Size       uint32
	Style      uint32
	WndProc    uintptr
	ClsExtra   int32
	WndExtra   int32
	Instance   windows.Handle
	Icon       windows.Handle
	Cursor     windows.Handle
	Background windows.Handle
	MenuName   *uint16
	ClassName  *uint16
	IconSm     windows.Handle
}

type point struct{ X, Y int32 }

type msg struct {
	Wnd     windows.Handle
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	Pt      point
}

// Tray is the notification-area icon.
type Tray struct {
	actions Actions
	labels  Labels
	icon    windows.Handle
	wnd     windows.Handle
	created uint32 // "TaskbarCreated": Explorer restarted, add the icon again

	mu      sync.Mutex
	addr    string
	state   string
	running bool
}

// current is the one tray of this process, for the window procedure.
var current *Tray

var wndProcOnce sync.Once
var wndProcPtr uintptr

// Start adds the icon to the notification area. It returns ErrNoHost when
// the shell will not take it (no Explorer: a server core, a kiosk shell).
func Start(opts Options) (*Tray, error) {
	t := &Tray{actions: opts.Actions, labels: opts.Labels, state: "stopped"}
	if t.labels == (Labels{}) {
		t.labels = EnglishLabels
	}
	ready := make(chan error, 1)
	go t.loop(opts.Icon, ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return t, nil
}

// loop creates the window and the icon, then runs the window's messages
// until Close, all on one locked thread as Win32 requires.
func (t *Tray) loop(png []byte, ready chan<- error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := t.create(png); err != nil {
		ready <- err
		return
	}
	ready <- nil
	var m msg
	for {
		r, _, _ := pGetMessage.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			return
		}
		pTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		pDispatchMessage.Call(uintptr(unsafe.Pointer(&m)))
	}
}

func (t *Tray) create(png []byte) error {
	current = t
	wndProcOnce.Do(func() { wndProcPtr = windows.NewCallback(wndProc) })
	inst, _, _ := pGetModuleHandle.Call(0)
	class, _ := windows.UTF16PtrFromString("ThinkCloudTray")
	wc := wndClassEx{WndProc: wndProcPtr, Instance: windows.Handle(inst), ClassName: class}
	wc.Size = uint32(unsafe.Sizeof(wc))
	pRegisterClassEx.Call(uintptr(unsafe.Pointer(&wc))) // fails harmlessly if already registered
	wnd, _, err := pCreateWindowEx.Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(class)),
		0, 0, 0, 0, 0, hwndMessage, 0, inst, 0)
	if wnd == 0 {
		return fmt.Errorf("create the tray's window: %w", err)
	}
	t.wnd = windows.Handle(wnd)
	name, _ := windows.UTF16PtrFromString("TaskbarCreated")
	created, _, _ := pRegisterWindowMessage.Call(uintptr(unsafe.Pointer(name)))
	t.created = uint32(created)
	t.icon = iconFrom(png)
	if !t.notify(nimAdd) {
		pDestroyWindow.Call(wnd)
		return ErrNoHost
	}
	return nil
}

// iconFrom makes an icon of the PNG (Windows reads PNG icon images since
// Vista), else the stock application icon.
func iconFrom(png []byte) windows.Handle {
	if len(png) > 0 {
		h, _, _ := pCreateIconFromResourceE.Call(uintptr(unsafe.Pointer(&png[0])), uintptr(len(png)), 1, 0x00030000, 0, 0, 0x0040 /* LR_DEFAULTSIZE */)
		if h != 0 {
			return windows.Handle(h)
		}
	}
	h, _, _ := pLoadIcon.Call(0, idiApplication)
	return windows.Handle(h)
}

// notify adds, updates or removes the icon, with the tooltip naming the
// endpoint's state.
func (t *Tray) notify(op uintptr) bool {
	d := notifyIconData{Wnd: t.wnd, ID: 1, Flags: nifMessage | nifIcon | nifTip, CallbackMessage: wmTrayIcon, Icon: t.icon}
	d.Size = uint32(unsafe.Sizeof(d))
	t.mu.Lock()
	tip := "ThinkCloud — " + Model(t.labels, t.addr, t.state, t.running)[1].Label
	t.mu.Unlock()
	u, _ := windows.UTF16FromString(tip)
	copy(d.Tip[:len(d.Tip)-1], u)
	r, _, _ := pShellNotifyIcon.Call(op, uintptr(unsafe.Pointer(&d)))
	return r != 0
}

func wndProc(hwnd windows.Handle, message uint32, wParam, lParam uintptr) uintptr {
	t := current
	switch {
	case t == nil:
	case message == wmTrayIcon:
		switch uint32(lParam) & 0xFFFF {
		case wmLButtonUp:
			t.run(t.actions.Open)
		case wmRButtonUp, wmContextMenu:
			t.showMenu()
		}
		return 0
	case message == wmTrayTip:
		t.notify(nimModify)
		return 0
	case message == t.created && t.created != 0:
		t.notify(nimAdd)
		return 0
	case message == wmClose:
		t.notify(nimDelete)
		pDestroyWindow.Call(uintptr(hwnd))
		return 0
	case message == wmDestroy:
		pPostQuitMessage.Call(0)
		return 0
	}
	r, _, _ := pDefWindowProc.Call(uintptr(hwnd), uintptr(message), wParam, lParam)
	return r
}

// showMenu pops the menu up at the cursor and runs the chosen item.
func (t *Tray) showMenu() {
	t.mu.Lock()
	items := Model(t.labels, t.addr, t.state, t.running)
	t.mu.Unlock()
	menu, _, _ := pCreatePopupMenu.Call()
	if menu == 0 {
		return
	}
	defer pDestroyMenu.Call(menu)
	for _, it := range items {
		if it.Separator {
			pAppendMenu.Call(menu, mfSeparator, 0, 0)
			continue
		}
		flags := uintptr(mfString)
		if !it.Enabled {
			flags |= mfGrayed
		}
		label, _ := windows.UTF16PtrFromString(it.Label)
		pAppendMenu.Call(menu, flags, uintptr(it.ID), uintptr(unsafe.Pointer(label)))
	}
	var p point
	pGetCursorPos.Call(uintptr(unsafe.Pointer(&p)))
	// The menu closes on a click elsewhere only if our window is in the
	// foreground; the null message after it is the documented fix for a
	// menu that would not close the second time (KB135788).
	pSetForegroundWindow.Call(uintptr(t.wnd))
	id, _, _ := pTrackPopupMenu.Call(menu, tpmRightButton|tpmReturnCmd, uintptr(p.X), uintptr(p.Y), 0, uintptr(t.wnd), 0)
	pPostMessage.Call(uintptr(t.wnd), wmNull, 0, 0)
	t.run(t.actions.action(int32(id)))
}

// Name says where the icon is, for the log.
func (t *Tray) Name() string { return "the notification area" }

// SetEndpoint shows the endpoint's address and state in the menu and the
// tooltip; running picks the switch's label.
func (t *Tray) SetEndpoint(addr, state string, running bool) {
	t.mu.Lock()
	t.addr, t.state, t.running = addr, state, running
	t.mu.Unlock()
	pPostMessage.Call(uintptr(t.wnd), wmTrayTip, 0, 0)
}

// Close removes the icon and ends its thread.
func (t *Tray) Close() error {
	pPostMessage.Call(uintptr(t.wnd), wmClose, 0, 0)
	return nil
}

// run calls fn off the window's thread, so a slow action (stopping the
// endpoint) does not freeze the menu.
func (t *Tray) run(fn func()) {
	if fn != nil {
		go fn()
	}
}
