package history

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"strings"
	"time"
)

// corpus generates deterministic chat-like text: Zipf-distributed words from
// a 5,000-word vocabulary, Chinese phrases in one message in ten, and a rare
// marker word ("quetzalcoatl") in about 50 messages.
type corpus struct {
	rng   *rand.Rand
	zipf  *rand.Zipf
	words []string
	start time.Time
}

var (
	commonWords = strings.Fields(`the of and to a in is it you that for on with as are this be
		can or by not use we your if from an will have more code model deep data`)
	chinesePhrases = []string{"你好世界", "机器学习", "深度思考", "天气预报", "世界和平",
		"人工智能", "大语言模型", "北京欢迎你", "今天天气不错", "请解释一下"}
	syllables = strings.Fields(`lor vex ka mi to ran sel du pe qua bri no zan fi tel mor ga shu ve li`)
)

func newCorpus() *corpus {
	rng := rand.New(rand.NewSource(1))
	c := &corpus{rng: rng, start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.words = append(c.words, commonWords...)
	for len(c.words) < 5000 {
		var sb strings.Builder
		for n := 2 + rng.Intn(2); n > 0; n-- {
			sb.WriteString(syllables[rng.Intn(len(syllables))])
		}
		c.words = append(c.words, sb.String())
	}
	c.zipf = rand.NewZipf(rng, 1.1, 2, uint64(len(c.words)-1))
	return c
}

// text returns about n words.
func (c *corpus) text(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(c.words[c.zipf.Uint64()])
	}
	if c.rng.Intn(10) == 0 {
		sb.WriteString(" " + chinesePhrases[c.rng.Intn(len(chinesePhrases))] + "。")
	}
	if c.rng.Intn(20_000) == 0 {
		sb.WriteString(" quetzalcoatl")
	}
	return sb.String()
}

// messagesIn returns how many messages conversation i gets.
func messagesIn(i int) int {
	if i == 0 {
		return bigConversation
	}
	rest := benchMessages - bigConversation
	per, extra := rest/(benchConversations-1), rest%(benchConversations-1)
	if i <= extra {
		return per + 1
	}
	return per
}

func (c *corpus) fill(ctx context.Context, tx *sql.Tx) error {
	convStmt, err := tx.PrepareContext(ctx, `INSERT INTO conversations
		(id, title, model, provider, pinned, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer convStmt.Close()
	msgStmt, err := tx.PrepareContext(ctx, `INSERT INTO messages (id, conversation_id, position, role,
		created_at, updated_at, model, provider, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer msgStmt.Close()
	seq := 0
	for i := range benchConversations {
		id := benchConversationID(i)
		created := c.start.Add(time.Duration(i) * 100 * time.Minute).UnixMilli()
		n := messagesIn(i)
		if _, err := convStmt.ExecContext(ctx, id, c.text(5), "deepseek-flash", "deepseek",
			i%500 == 0, created, created+int64(n)*30_000); err != nil {
			return err
		}
		for p := 1; p <= n; p++ {
			seq++
			role, words := "user", 15+c.rng.Intn(30)
			if p%2 == 0 {
				role, words = "assistant", 40+c.rng.Intn(80)
			}
			at := created + int64(p)*30_000
			if _, err := msgStmt.ExecContext(ctx, fmt.Sprintf("m-%07d", seq), id, p, role, at, at,
				"deepseek-flash", "deepseek", c.text(words)); err != nil {
				return err
			}
		}
	}
	return nil
}
