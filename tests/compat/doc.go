// Package compat holds the compatibility tests of the local endpoint:
// goopenai_test.go drives `thinkcloud serve` (in front of the fake
// providers of tests/fakeupstream) with github.com/sashabaranov/go-openai,
// and the *.test.mjs files do the same with the official openai npm
// package (run.sh). There is no non-test code here.
package compat
