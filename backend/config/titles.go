package config

import "unicode/utf8"

// Titles is the choice to have a model name new conversations. It is off
// until the user turns it on and picks a model: a title costs a request.
type Titles struct {
	// Auto asks Model for a title after a new conversation's first answer.
	Auto bool `json:"auto,omitempty"`
	// Model names the model that writes titles, as the catalog names it;
	// "" with Auto on writes none.
	Model string `json:"model,omitempty"`
	// PaidModel is the priced model the user agreed to pay for titles
	// with; a paid Model other than this one is never asked (choosing a
	// paid model asks first, and that answer is kept here).
	PaidModel string `json:"paidModel,omitempty"`
}

// validateTitles checks the model names' lengths; whether a model exists
// is the catalog's to say when a title is due (a live list may not be
// loaded yet).
func validateTitles(t Titles, add addFunc) {
	if utf8.RuneCountInString(t.Model) > 200 {
		add("titles.model", "longer_than", "max", "200")
	}
	if utf8.RuneCountInString(t.PaidModel) > 200 {
		add("titles.paidModel", "longer_than", "max", "200")
	}
}
