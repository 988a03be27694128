package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/docket-tns/docket/models"
)

// PasswordParams are argon2id's costs. The defaults (19 MiB, 2 passes) are
// OWASP's recommended minimum and take ~40-60 ms here.
type PasswordParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultPasswordParams are used unless a test lowers them.
var DefaultPasswordParams = PasswordParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// commonPasswords are refused outright: the long ones people actually pick.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		password1234 password12345 password123456 passwordpassword 123456789012 1234567890123
		12345678901234 qwertyuiop12 qwertyuiop123 qwerty123456 1q2w3e4r5t6y 1qaz2wsx3edc
		iloveyou1234 welcome12345 letmein12345 changeme1234 administrator admin1234567
		trustno11234 abc123456789 football1234 baseball1234 sunshine1234 princess1234
		superman1234 starwars1234 dragon123456 monkey123456 aaaaaaaaaaaa 111111111111
		000000000000 zaq12wsxcde3 passw0rd1234 p@ssw0rd1234 p@ssword1234 correcthorsebatterystaple
		docketdocket docket123456 shopeeshopee tokopedia123 lazada123456 password!234
		`) {
		commonPasswords[p] = true
	}
}

// CheckPassword enforces the password rules; KindInvalid weak_password.
func CheckPassword(pw string) error {
	field := func(msg string) error {
		return models.Invalid("weak_password", msg, models.FieldError{Field: "password", Code: "weak_password", Message: msg})
	}
	if len([]rune(pw)) < MinPasswordLength {
		return field(fmt.Sprintf("use at least %d characters", MinPasswordLength))
	}
	if len(pw) > 256 {
		return field("use at most 256 bytes")
	}
	if commonPasswords[strings.ToLower(pw)] {
		return field("this password is on the list of common passwords")
	}
	return nil
}

// HashPassword returns a PHC-style argon2id string.
func HashPassword(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword compares pw with a HashPassword string in constant time.
func VerifyPassword(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
