// Package lib is shared by the commands of example.com/multi.
package lib

// VersionLine is the one line every command prints: "<name> <version> <commit> <date>".
func VersionLine(name, version, commit, date string) string {
	return name + " " + version + " " + commit + " " + date
}
