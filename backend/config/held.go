package config

import (
	"fmt"
)

// hold gives up on the settings file for this run without touching it:
// it could not be read (problem), or it is unusable and could not be
// moved aside (problem, moveErr). The app runs on Defaults kept in
// memory, and the Store refuses to write, because the only way to save
// would be to replace a file the user may still want.
func (s *Store) hold(problem, moveErr error) (Settings, *Notice, error) {
	why, whyErr := fmt.Sprintf("%v", problem), problem
	if moveErr != nil {
		why, whyErr = fmt.Sprintf("%v, and it could not be moved aside: %v", problem, moveErr), nil
	}
	s.held = fmt.Errorf("%s is left as it is because %s; fix or remove it, then restart ThinkCloud to save settings again", s.path, why)
	return Defaults(), &Notice{
		Message: fmt.Sprintf("Your settings file %s could not be used (%s), so ThinkCloud runs on default settings kept in memory only. The file was left as it is and will not be overwritten; fix or remove it, then restart to save settings again.", s.path, why),
		Problem: why,
		Path:    s.path,
		Err:     whyErr,
	}, nil
}
