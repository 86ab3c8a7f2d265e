package update

import (
	"fmt"
	"strconv"
	"strings"
)

// version is MAJOR.MINOR.PATCH[-PRERELEASE]; build metadata (+…) is
// ignored, as semantic versioning says.
type version struct {
	nums [3]int
	pre  string
}

func parseVersion(s string) (version, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	core, pre, _ := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if s == "" || len(parts) != 3 {
		return version{}, fmt.Errorf("%q is not MAJOR.MINOR.PATCH", s)
	}
	var v version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}, fmt.Errorf("%q is not MAJOR.MINOR.PATCH", s)
		}
		v.nums[i] = n
	}
	v.pre = pre
	return v, nil
}

// compare returns -1, 0 or 1. A pre-release sorts before its release
// (0.2.0-dev < 0.2.0); pre-releases compare by their dot-separated parts,
// numbers numerically.
func compare(a, b version) int {
	for i := range a.nums {
		if a.nums[i] != b.nums[i] {
			if a.nums[i] < b.nums[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	ap, bp := strings.Split(a.pre, "."), strings.Split(b.pre, ".")
	for i := 0; i < len(ap) && i < len(bp); i++ {
		if ap[i] == bp[i] {
			continue
		}
		an, aerr := strconv.Atoi(ap[i])
		bn, berr := strconv.Atoi(bp[i])
		if aerr == nil && berr == nil {
			if an < bn {
				return -1
			}
			return 1
		}
		if ap[i] < bp[i] {
			return -1
		}
		return 1
	}
	switch {
	case len(ap) < len(bp):
		return -1
	case len(ap) > len(bp):
		return 1
	}
	return 0
}
