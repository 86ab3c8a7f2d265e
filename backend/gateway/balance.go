package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"thinkcloud/backend/catalog"
)

// Balance is money left on a provider account in one currency.
type Balance struct {
	Currency string  `json:"currency"`
	Amount   float64 `json:"amount"`
}

// Balance asks provider for the account's balance, with its key, at the
// endpoint the catalog names. A provider without one is a 404 *Error; the
// caller bounds the wait with ctx.
func (r *Router) Balance(ctx context.Context, provider string) ([]Balance, *Error) {
	p, ok := r.Catalog.Provider(provider)
	if !ok || p.Balance == nil {
		return nil, &Error{Status: 404, Type: "invalid_request_error", Code: "unsupported_by_provider", Provider: provider,
			Message: provider + " publishes no balance endpoint"}
	}
	up, err := r.Upstream(provider)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, &Error{Status: 500, Message: err.Error(), Provider: provider}
	}
	client := up.Client
	if client == nil {
		client = r.client()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, joinPath(up.BaseURL, p.Balance.Path), nil)
	if err != nil {
		return nil, &Error{Status: 500, Message: "building balance request for " + provider + ": " + err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+up.Key)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, transportError(ctx, provider, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 400 {
		e := upstreamError(provider, resp.StatusCode, body)
		e.Message = r.redact(e.Message, up.Key)
		return nil, e
	}
	out, ok := parseBalance(p.Balance.Format, p.BalanceCurrency(up.BaseURL), body)
	if !ok {
		return nil, &Error{Status: 502, Type: "server_error", Code: "upstream_bad_answer", Provider: provider,
			Message: provider + "'s balance answer is not in the expected shape: " + r.redact(quote(body), up.Key)}
	}
	return out, nil
}

// parseBalance reads a balance answer of a catalog.BalanceAPI format.
func parseBalance(format, currency string, body []byte) ([]Balance, bool) {
	switch format {
	case catalog.BalanceInfos: // {"is_available":true,"balance_infos":[{"currency":"CNY","total_balance":"110.00",…}]}
		var v struct {
			Infos []struct {
				Currency string `json:"currency"`
				Total    string `json:"total_balance"`
			} `json:"balance_infos"`
		}
		if json.Unmarshal(body, &v) != nil || v.Infos == nil {
			return nil, false
		}
		out := []Balance{}
		for _, i := range v.Infos {
			amount, err := strconv.ParseFloat(i.Total, 64)
			if err != nil {
				return nil, false
			}
			out = append(out, Balance{Currency: i.Currency, Amount: amount})
		}
		return out, true
	case catalog.BalanceAvailable: // {"code":0,"data":{"available_balance":49.5,…},"status":true}
		var v struct {
			Data *struct {
				Available *float64 `json:"available_balance"`
			} `json:"data"`
		}
		if json.Unmarshal(body, &v) != nil || v.Data == nil || v.Data.Available == nil {
			return nil, false
		}
		return []Balance{{Currency: currency, Amount: *v.Data.Available}}, true
	}
	return nil, false
}
