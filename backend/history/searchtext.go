package history

import (
	"database/sql/driver"
	"encoding/json"
	"strings"

	"modernc.org/sqlite"
)

// searchTextFunc is the SQL name of the search text of a message with
// attachments (searchTextOf); the indexes' views and triggers call it
// through searchText.
const searchTextFunc = "thinkcloud_search_text"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(searchTextFunc, 2,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			content, _ := args[0].(string)
			var images []byte
			switch v := args[1].(type) {
			case string:
				images = []byte(v)
			case []byte:
				images = v
			}
			return searchTextOf(content, images), nil
		})
}

// searchText is the SQL expression of the text search finds in a
// message, from its content and images columns: the content itself when
// nothing is attached (no call into Go for most messages), else
// searchTextOf.
func searchText(content, images string) string {
	return "(CASE WHEN " + images + " IS NULL THEN " + content + " ELSE " + searchTextFunc + "(" + content + ", " + images + ") END)"
}

// searchTextOf is content followed by each text attachment as the model
// reads it ("File: name", then its text), so a search finds a message by
// what its files say; images add nothing. A malformed images column is
// content alone.
func searchTextOf(content string, images []byte) string {
	var all []string
	if json.Unmarshal(images, &all) != nil {
		return content
	}
	var sb strings.Builder
	for _, s := range all {
		a, ok := DecodeAttachment(s)
		if !ok {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteString(content)
		}
		sb.WriteString("\n\nFile: ")
		sb.WriteString(a.Name)
		sb.WriteString("\n")
		sb.WriteString(a.Text)
	}
	if sb.Len() == 0 {
		return content
	}
	return sb.String()
}
