package core

import (
	"context"
	"io"
	"net"
	"net/url"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/gateway"
)

// maxAnswerBody bounds a non-streamed answer read into memory; a short
// request (a title) that comes back larger is refused, not truncated.
const maxAnswerBody = 1 << 20

// Answer is a whole non-streamed answer, read through gateway.Decoder.
type Answer struct {
	Content, Reasoning string
	// Usage is the provider's count; nil when it reported none.
	Usage *gateway.Usage
}

// AskTurn sends t as one non-streamed request (t.Once is set here) by the
// same router the window's chat uses, and returns the answer and the
// model that gave it. For short side requests such as a title.
func (c *Core) AskTurn(ctx context.Context, t gateway.Turn) (Answer, catalog.Model, *gateway.Error) {
	t.Once = true
	call, e := c.router.PrepareTurn(t)
	if e != nil {
		return Answer{}, catalog.Model{}, e
	}
	resp, e := c.router.Send(ctx, call)
	if e != nil {
		return Answer{}, call.Model, e
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBody+1))
	if err != nil {
		return Answer{}, call.Model, gateway.StreamFailure(call.Model.Provider, err)
	}
	if len(body) > maxAnswerBody {
		return Answer{}, call.Model, badAnswer(call.Model.Provider, "an answer larger than 1 MiB")
	}
	var dec gateway.Decoder
	d, ok := dec.Decode(body)
	if !ok {
		return Answer{}, call.Model, badAnswer(call.Model.Provider, "an answer that is not JSON")
	}
	if d.Err != nil {
		return Answer{}, call.Model, gateway.StreamFailure(call.Model.Provider, d.Err)
	}
	c2, r2 := dec.End()
	return Answer{Content: d.Content + c2, Reasoning: d.Reasoning + r2, Usage: d.Usage}, call.Model, nil
}

// badAnswer is a provider's 200 whose body cannot be an answer.
func badAnswer(provider, what string) *gateway.Error {
	return &gateway.Error{Status: 502, Type: "server_error", Code: "upstream_bad_answer", Provider: provider,
		Message: provider + " sent " + what}
}

// Local reports whether provider is one the user added that is served
// from this machine (its base URL is a loopback address): its models cost
// nothing. A built-in provider is never local, wherever its URL points.
func (c *Core) Local(provider string) bool {
	p, ok := c.catalog.Provider(provider)
	if !ok || !p.Custom {
		return false
	}
	u, err := url.Parse(c.BaseURL(p))
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
