# zsh -f zsh-capture.zsh FPATH_DIR 'command line'
# Types the line into an interactive zsh on a pseudo-terminal (zsh/zpty), presses TAB, and prints every
# match the completion system offers as "match<<<DESC>>>description", one a line. compadd is wrapped to
# record the matches; nothing is ever executed (Enter is unbound).
zmodload zsh/zpty || exit 3
setup=$(mktemp)
cat > $setup <<SETUP
PROMPT= RPROMPT=
fpath=(${(q)1} \$fpath)
autoload -U compinit && compinit -u -D
bindkey '^M' undefined; bindkey '^J' undefined; bindkey '^I' complete-word
zstyle ':completion:*' list-grouped false
__mark() { print -r -- '<<<MARK>>>' }
compprefuncs=(__mark)
comppostfuncs=(__mark exit)
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "\$@"; return; fi
  local -a __hits __dscr
  local __d __i
  if (( \$@[(I)-d] )); then
    __d=\${@[\$[\${@[(i)-d]}+1]]}
    if [[ \$__d == \(* ]]; then eval "__dscr=\$__d"; else __dscr=("\${(@P)__d}"); fi
  fi
  builtin compadd -A __hits -D __dscr "\$@"
  (( \$#__hits )) || return 1
  for __i in {1..\$#__hits}; do print -r -- "<<<HIT>>>\${__hits[\$__i]}<<<DESC>>>\${__dscr[\$__i]}"; done
}
print -r -- '<<<READY>>>'
SETUP
zpty z zsh -f -i
zpty -w z "source ${(q)setup}"
local line
while zpty -r z line; do [[ $line == *'<<<READY>>>'* && $line != *print* ]] && break; done
zpty -w -n z "$2"$'\t'
integer marks=0
while zpty -r z line; do
  [[ $line == *'<<<MARK>>>'* && $line != *print* ]] && { (( ++marks >= 2 )) && break; continue; }
  [[ $line == *'<<<HIT>>>'* ]] && print -r -- "${${line#*<<<HIT>>>}%%$'\r'*}"
done
zpty -d z
rm -f $setup
