import { defineCommand, type ProgramSpec } from '../../spec.js';

/** The script describes the whole program, which lists this spec: the tree hands itself in, so no module imports the tree back. */
export const completionSpec = (program: () => ProgramSpec) =>
  defineCommand({
    name: 'completion',
    aliases: [],
    summary: 'print the shell completion script for bash, zsh or fish',
    description:
      'Prints a script that teaches the shell to complete commands, flags, fixed values, inventory files, node names and @groups from the inventory, and image IDs and names seen by the last ls (TAB never contacts a node). The same scripts ship in the package\'s completions/ directory.',
    args: [{ name: 'shell', description: 'bash, zsh or fish', required: true, variadic: false, complete: 'shells' }],
    options: {},
    examples: [
      { command: 'source <(glance-cache completion bash)', description: 'completion in the current bash (add the line to ~/.bashrc to keep it)' },
      { command: 'glance-cache completion zsh > ~/.zfunc/_glance-cache', description: 'install it for zsh, with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc' },
      { command: 'glance-cache completion fish > ~/.config/fish/completions/glance-cache.fish', description: 'install it for fish' },
    ],
    load: async () => {
      const { runCompletion } = await import('./run.js');
      return { run: (context, args) => runCompletion(context, args, program()) };
    },
  });
