package update

import (
	"os/exec"
	"path/filepath"
	"strings"
)

// PackageManaged is set at build time (-ldflags "-X
// thinkcloud/backend/update.PackageManaged=deb") by package builds, which
// must never offer their own downloads.
var PackageManaged = ""

// Owner asks a package manager whether it owns a file; it returns nil
// when it does. exec.Command's Run is the real one.
type Owner func(name string, args ...string) error

// SystemOwner runs the package manager's query command.
func SystemOwner(name string, args ...string) error { return exec.Command(name, args...).Run() }

// DetectManaged returns the package manager owning exe ("deb", "rpm") or
// "". The build flag wins; otherwise only executables under /usr are
// asked about, since a package never installs elsewhere and a query costs
// a process start.
func DetectManaged(exe string, owns Owner) string {
	if PackageManaged != "" {
		return PackageManaged
	}
	if exe == "" || !strings.HasPrefix(filepath.Clean(exe), "/usr/") {
		return ""
	}
	if owns("dpkg", "-S", exe) == nil {
		return "deb"
	}
	if owns("rpm", "-qf", exe) == nil {
		return "rpm"
	}
	return ""
}
