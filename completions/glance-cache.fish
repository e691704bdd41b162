# fish completion for glance-cache
# Generated from the command tree (src/cli) by `npm run gen`: edit the tree, not this file.
# Install: glance-cache completion fish > ~/.config/fish/completions/glance-cache.fish
# or load it in the current shell:   glance-cache completion fish | source

# The command on the line so far ("" before one), skipping the values of options that take one.
function __glance_cache_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case -i --inventory -n --nodes -x --exclude -l --label -f --format -o --output -c --column --sort-column --max-width --color --fanout --timeout --connect-timeout --cacert --os-cloud --os-auth-url --os-auth-type --os-username --os-user-id --os-password --os-project-name --os-project-id --os-user-domain-name --os-user-domain-id --os-project-domain-name --os-project-domain-id --os-domain-name --os-domain-id --os-default-domain --os-system-scope --os-application-credential-id --os-application-credential-name --os-application-credential-secret --os-token --os-region-name --os-interface --os-cacert
                set skip 1
            case '-*'
            case ls list
                echo ls
                return
            case nodes
                echo nodes
                return
            case where
                echo where
                return
            case diff
                echo diff
                return
            case queue
                echo queue
                return
            case purge rm
                echo purge
                return
            case clear
                echo clear
                return
            case sync
                echo sync
                return
            case prune
                echo prune
                return
            case inventory
                echo inventory
                return
            case completion
                echo completion
                return
            case help
                echo help
                return
            case '*'
                echo $token
                return
        end
    end
    echo ''
end

function __glance_cache_using
    set -l command (__glance_cache_command)
    test "$command" = "$argv[1]"
end

# Values only the inventory or the image cache knows ($argv[1]: nodes, labels or images), "value<TAB>description".
function __glance_cache_dynamic
    set -l tokens (commandline -opc)
    command glance-cache __complete $argv[1] (commandline -ct) $tokens[2..-1] 2>/dev/null
end

complete -c glance-cache -f
complete -c glance-cache -s i -l inventory -r -F -d 'inventory file (YAML or JSON)'
complete -c glance-cache -s n -l nodes -r -f -a '(__glance_cache_dynamic nodes)' -d 'nodes to act on: names, ranges (glance[01-03]), @group, URLs, globs; comma-separated, repeatable'
complete -c glance-cache -s x -l exclude -r -f -a '(__glance_cache_dynamic nodes)' -d 'nodes to leave out, same syntax as --nodes; repeatable'
complete -c glance-cache -s a -l all-nodes -d 'every node of the inventory'
complete -c glance-cache -s l -l label -r -f -a '(__glance_cache_dynamic labels)' -d 'only nodes with this inventory label, every one given; filters -n, or every node without it; -x still applies'
complete -c glance-cache -s f -l format -r -f -a 'table json yaml csv tsv value' -d 'output format, as in openstackclient'
complete -c glance-cache -s o -l output -r -f -a 'table json yaml csv tsv value' -d 'same as -f'
complete -c glance-cache -l json -d 'same as -f json'
complete -c glance-cache -s c -l column -r -f -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using \'\'' -s c -l column -r -f -a 'id name size cached_on queued_on hits last_accessed status url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings node state missing_on extra_on present_on kind image nodes bytes detail action result note reasons groups labels timeout max_size defined_at' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -l sort-column -r -f -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using \'\'' -l sort-column -r -f -a 'id name size cached_on queued_on hits last_accessed status url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings node state missing_on extra_on present_on kind image nodes bytes detail action result note reasons groups labels timeout max_size defined_at' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -l sort-ascending -d 'sort --sort-column smallest first (the default)'
complete -c glance-cache -l sort-descending -d 'sort --sort-column largest first'
complete -c glance-cache -l max-width -r -f -d 'widest line of a table: names shortened, IDs cut to a unique prefix, columns dropped to fit; 0 for no limit'
complete -c glance-cache -l fit-width -d 'fit tables to the terminal width even when piped (80 columns when it is not known)'
complete -c glance-cache -l wide -d 'tables in full: nothing shortened or dropped (as --max-width 0)'
complete -c glance-cache -l noindent -d 'JSON on one line'
complete -c glance-cache -l no-headers -d 'omit the header row'
complete -c glance-cache -l color -r -f -a 'auto always never' -d 'colour output'
complete -c glance-cache -s q -l quiet -d 'only errors on stderr'
complete -c glance-cache -s v -l verbose -d 'more detail on stderr'
complete -c glance-cache -l debug -d 'log every HTTP call (method, URL, status, time) on stderr; secrets redacted'
complete -c glance-cache -l fanout -r -f -d 'nodes contacted at once'
complete -c glance-cache -l timeout -r -f -d 'total time allowed for each node\'s work and for every other request of the run, name lookups and Keystone too (e.g. 10s); overrides the inventory\'s default'
complete -c glance-cache -l connect-timeout -r -f -d 'time allowed to open a connection'
complete -c glance-cache -l cacert -r -F -d 'CA bundle to verify the nodes\' TLS certificates with (a node\'s cacert: in the inventory wins)'
complete -c glance-cache -l insecure -d 'do not verify the nodes\' TLS certificates (warns on every run)'
complete -c glance-cache -l os-cloud -r -f -d 'the clouds.yaml entry to use [$OS_CLOUD]'
complete -c glance-cache -l os-auth-url -r -f -d 'Keystone v3 URL, e.g. https://keystone.example.net:5000/v3 [$OS_AUTH_URL]'
complete -c glance-cache -l os-auth-type -r -f -d 'password, v3applicationcredential, token or none (default: inferred from what is set) [$OS_AUTH_TYPE]'
complete -c glance-cache -l os-username -r -f -d 'Keystone user name [$OS_USERNAME]'
complete -c glance-cache -l os-user-id -r -f -d 'Keystone user ID [$OS_USER_ID]'
complete -c glance-cache -l os-password -r -f -d 'the user\'s password (a command line is visible to other local users: prefer OS_PASSWORD or clouds.yaml) [$OS_PASSWORD]'
complete -c glance-cache -l os-project-name -r -f -d 'project to scope the token to [$OS_PROJECT_NAME]'
complete -c glance-cache -l os-project-id -r -f -d 'project ID to scope the token to [$OS_PROJECT_ID]'
complete -c glance-cache -l os-user-domain-name -r -f -d 'the user\'s domain [$OS_USER_DOMAIN_NAME]'
complete -c glance-cache -l os-user-domain-id -r -f -d 'the user\'s domain ID [$OS_USER_DOMAIN_ID]'
complete -c glance-cache -l os-project-domain-name -r -f -d 'the project\'s domain [$OS_PROJECT_DOMAIN_NAME]'
complete -c glance-cache -l os-project-domain-id -r -f -d 'the project\'s domain ID [$OS_PROJECT_DOMAIN_ID]'
complete -c glance-cache -l os-domain-name -r -f -d 'domain of both user and project, unless set apart [$OS_DOMAIN_NAME]'
complete -c glance-cache -l os-domain-id -r -f -d 'domain ID of both user and project, unless set apart [$OS_DOMAIN_ID]'
complete -c glance-cache -l os-default-domain -r -f -d 'domain ID used when no other domain is set (default: default) [$OS_DEFAULT_DOMAIN]'
complete -c glance-cache -l os-system-scope -r -f -d 'scope the token to the system instead of a project [$OS_SYSTEM_SCOPE]'
complete -c glance-cache -l os-application-credential-id -r -f -d 'application credential ID (the way for cron jobs) [$OS_APPLICATION_CREDENTIAL_ID]'
complete -c glance-cache -l os-application-credential-name -r -f -d 'application credential name (needs the user too) [$OS_APPLICATION_CREDENTIAL_NAME]'
complete -c glance-cache -l os-application-credential-secret -r -f -d 'application credential secret (a command line is visible to other local users: prefer the variable or clouds.yaml) [$OS_APPLICATION_CREDENTIAL_SECRET]'
complete -c glance-cache -l os-token -r -f -d 'an existing Keystone token, used as is [$OS_AUTH_TOKEN]'
complete -c glance-cache -l os-region-name -r -f -d 'region of the image endpoint in the catalog [$OS_REGION_NAME]'
complete -c glance-cache -l os-interface -r -f -d 'catalog interface: public, internal or admin (default: public) [$OS_INTERFACE]'
complete -c glance-cache -l os-cacert -r -f -d 'CA bundle to verify Keystone with [$OS_CACERT]'
complete -c glance-cache -l os-insecure -d 'do not verify Keystone TLS certificates [$OS_INSECURE]'
complete -c glance-cache -l no-auth -d 'send no token (glance deployed without Keystone)'
complete -c glance-cache -s h -l help -d 'show help'
complete -c glance-cache -l help-all -d 'show help with every option described'
complete -c glance-cache -n '__glance_cache_using \'\'' -s V -l version -d 'print the version'

# ls
complete -c glance-cache -n '__glance_cache_using \'\'' -a ls -d 'list cached and queued images across the selected nodes, merged'
complete -c glance-cache -n '__glance_cache_using \'\'' -a list -d 'alias of ls'
complete -c glance-cache -n '__glance_cache_using ls' -s c -l column -r -f -a 'id name size cached_on queued_on hits last_accessed status' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using ls' -l sort-column -r -f -a 'id name size cached_on queued_on hits last_accessed status' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using ls' -l per-node -d 'add a column per node: C cached, Q queued, . neither, ? no answer; in JSON, each node\'s record of its copy (copies)'
complete -c glance-cache -n '__glance_cache_using ls' -l state -r -f -a 'all cached queued' -d 'which images to show'
complete -c glance-cache -n '__glance_cache_using ls' -l sort -r -f -a 'name id size nodes hits last-accessed' -d 'sort order (numbers sort largest first)'
complete -c glance-cache -n '__glance_cache_using ls' -l orphans -d 'only images some node caches that Glance no longer serves (deleted, deactivated, not active)'
complete -c glance-cache -n '__glance_cache_using ls' -l name -r -f -a '(__glance_cache_dynamic images)' -d 'only images of this name, or matching this glob (\'cirros-*\', ? and [a-z] too); a name no listed image has is an error that suggests the closest'
complete -c glance-cache -n '__glance_cache_using ls' -l older-than -r -f -d 'only images last read anywhere (Glance\'s last_accessed) longer ago than this (30d, 12h); images only queued have no last access and are left out'
complete -c glance-cache -n '__glance_cache_using ls' -l newer-than -r -f -d 'only images last read somewhere within this (1h, 7d); images only queued are left out'
complete -c glance-cache -n '__glance_cache_using ls' -l limit -r -f -d 'show at most N images, after sorting; the totals still count every image that matched'

# nodes
complete -c glance-cache -n '__glance_cache_using \'\'' -a nodes -d 'show each selected node: reachable, latency, API, cache driver, cache size and usage'
complete -c glance-cache -n '__glance_cache_using nodes' -s c -l column -r -f -a 'name url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using nodes' -l sort-column -r -f -a 'name url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings' -d 'sort by this column (repeatable; later ones break ties), in every format'

# where
complete -c glance-cache -n '__glance_cache_using \'\'' -a where -d 'show on which nodes the given images are cached or queued'
complete -c glance-cache -n '__glance_cache_using where' -s c -l column -r -f -a 'id name node state hits last_accessed size' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using where' -l sort-column -r -f -a 'id name node state hits last_accessed size' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using where' -f -a '(__glance_cache_dynamic images)'

# diff
complete -c glance-cache -n '__glance_cache_using \'\'' -a diff -d 'show which images are not on every selected node'
complete -c glance-cache -n '__glance_cache_using diff' -s c -l column -r -f -a 'id name size missing_on extra_on present_on kind image nodes bytes detail' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using diff' -l sort-column -r -f -a 'id name size missing_on extra_on present_on kind image nodes bytes detail' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using diff' -l against -r -f -a '(__glance_cache_dynamic nodes)' -d 'compare every selected node with this one (added to -n when -n is given)'
complete -c glance-cache -n '__glance_cache_using diff' -l state -r -f -a 'cached queued all' -d 'what counts as on a node: cached, queued, or either (all)'
complete -c glance-cache -n '__glance_cache_using diff' -l orphans -d 'show cached images Glance no longer serves (bytes wasted per node) and drift instead of differences'
complete -c glance-cache -n '__glance_cache_using diff' -f -a '(__glance_cache_dynamic nodes)'

# queue
complete -c glance-cache -n '__glance_cache_using \'\'' -a queue -d 'cache images on the selected nodes'
complete -c glance-cache -n '__glance_cache_using queue' -s c -l column -r -f -a 'node image name action result error note size reasons' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using queue' -l sort-column -r -f -a 'node image name action result error note size reasons' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using queue' -l wait -d 'follow each node until the queued images are cached, then report'
complete -c glance-cache -n '__glance_cache_using queue' -l wait-timeout -r -f -d 'how long --wait follows a node (implies --wait)'
complete -c glance-cache -n '__glance_cache_using queue' -s y -l yes -d 'act without asking (required when there is no terminal to ask on)'
complete -c glance-cache -n '__glance_cache_using queue' -l dry-run -d 'print the plan and send nothing'
complete -c glance-cache -n '__glance_cache_using queue' -l node-concurrency -r -f -d 'actions in flight at once on one node'
complete -c glance-cache -n '__glance_cache_using queue' -f -a '(__glance_cache_dynamic images)'

# purge
complete -c glance-cache -n '__glance_cache_using \'\'' -a purge -d 'drop images from the cache and queue of the selected nodes'
complete -c glance-cache -n '__glance_cache_using \'\'' -a rm -d 'alias of purge'
complete -c glance-cache -n '__glance_cache_using purge' -s c -l column -r -f -a 'node image name action result error note size reasons' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using purge' -l sort-column -r -f -a 'node image name action result error note size reasons' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using purge' -s y -l yes -d 'act without asking (required when there is no terminal to ask on)'
complete -c glance-cache -n '__glance_cache_using purge' -l dry-run -d 'print the plan and send nothing'
complete -c glance-cache -n '__glance_cache_using purge' -l node-concurrency -r -f -d 'actions in flight at once on one node'
complete -c glance-cache -n '__glance_cache_using purge' -f -a '(__glance_cache_dynamic images)'

# clear
complete -c glance-cache -n '__glance_cache_using \'\'' -a clear -d 'empty the cache, the queue, or both, of the selected nodes'
complete -c glance-cache -n '__glance_cache_using clear' -s c -l column -r -f -a 'node image name action result error note size reasons' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using clear' -l sort-column -r -f -a 'node image name action result error note size reasons' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using clear' -l cache -d 'delete every cached image'
complete -c glance-cache -n '__glance_cache_using clear' -l queue -d 'empty the queue'
complete -c glance-cache -n '__glance_cache_using clear' -l all -d 'both the cache and the queue'
complete -c glance-cache -n '__glance_cache_using clear' -s y -l yes -d 'act without asking (required when there is no terminal to ask on)'
complete -c glance-cache -n '__glance_cache_using clear' -l dry-run -d 'print the plan and send nothing'

# sync
complete -c glance-cache -n '__glance_cache_using \'\'' -a sync -d 'converge the selected nodes on a target state: N copies of each image, or what one node holds'
complete -c glance-cache -n '__glance_cache_using sync' -s c -l column -r -f -a 'node image name action result error note size reasons' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using sync' -l sort-column -r -f -a 'node image name action result error note size reasons' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using sync' -l replicas -r -f -d 'copies of each image to keep across the selected nodes'
complete -c glance-cache -n '__glance_cache_using sync' -l like -r -f -a '(__glance_cache_dynamic nodes)' -d 'make the selected nodes hold what this node holds'
complete -c glance-cache -n '__glance_cache_using sync' -l images -r -f -a '(__glance_cache_dynamic images)' -d 'only these images (IDs or names; comma-separated, repeatable)'
complete -c glance-cache -n '__glance_cache_using sync' -l delete -d 'also remove what the target state does not contain'
complete -c glance-cache -n '__glance_cache_using sync' -l wait -d 'follow each node until the queued images are cached, then report'
complete -c glance-cache -n '__glance_cache_using sync' -l wait-timeout -r -f -d 'how long --wait follows a node (implies --wait)'
complete -c glance-cache -n '__glance_cache_using sync' -s y -l yes -d 'act without asking (required when there is no terminal to ask on)'
complete -c glance-cache -n '__glance_cache_using sync' -l dry-run -d 'print the plan and send nothing'
complete -c glance-cache -n '__glance_cache_using sync' -l node-concurrency -r -f -d 'actions in flight at once on one node'

# prune
complete -c glance-cache -n '__glance_cache_using \'\'' -a prune -d 'evict cached images by policy on every selected node: size limit (LRU), age, orphans, replicas'
complete -c glance-cache -n '__glance_cache_using prune' -s c -l column -r -f -a 'node image name action result error note size reasons' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using prune' -l sort-column -r -f -a 'node image name action result error note size reasons' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using prune' -l max-size -r -f -d 'each node\'s cache limit: a size (50GiB) or a share of its inventory max_size (80%)'
complete -c glance-cache -n '__glance_cache_using prune' -l older-than -r -f -d 'also evict copies not read for this long (30d, 12h)'
complete -c glance-cache -n '__glance_cache_using prune' -l orphans -d 'also evict images Glance no longer serves (deleted or not active)'
complete -c glance-cache -n '__glance_cache_using prune' -l max-replicas -r -f -d 'keep at most N copies of each image across the selected nodes, where it is read most'
complete -c glance-cache -n '__glance_cache_using prune' -l keep -r -f -a '(__glance_cache_dynamic images)' -d 'never evict this image (ID or name; comma-separated, repeatable), as the inventory\'s protect: list'
complete -c glance-cache -n '__glance_cache_using prune' -l max-deletes -r -f -d 'when the plan has more deletions than this, print it, delete nothing and exit 2'
complete -c glance-cache -n '__glance_cache_using prune' -l server-side -d 'let nodes with API v2.18 prune themselves (POST /v2/cache/prune) instead of the size limit'
complete -c glance-cache -n '__glance_cache_using prune' -l lock -r -F -d 'lock file that keeps two runs from overlapping'
complete -c glance-cache -n '__glance_cache_using prune' -l summary -r -F -d 'write the plan and the outcome per node and image as JSON to this file (atomically; mode 0600, or the existing file\'s)'
complete -c glance-cache -n '__glance_cache_using prune' -l metrics-file -r -F -d 'write Prometheus metrics for node_exporter\'s textfile collector to this file (atomically; mode 0600, or the existing file\'s: create it 0644 once for a node_exporter running as another user)'
complete -c glance-cache -n '__glance_cache_using prune' -s y -l yes -d 'act without asking (required when there is no terminal to ask on)'
complete -c glance-cache -n '__glance_cache_using prune' -l dry-run -d 'print the plan and send nothing'
complete -c glance-cache -n '__glance_cache_using prune' -l node-concurrency -r -f -d 'actions in flight at once on one node'

# inventory
complete -c glance-cache -n '__glance_cache_using \'\'' -a inventory -d 'show the resolved inventory and where it was found'
complete -c glance-cache -n '__glance_cache_using inventory' -s c -l column -r -f -a 'name url groups labels timeout max_size defined_at' -d 'show only this column (repeatable; JSON field names)'
complete -c glance-cache -n '__glance_cache_using inventory' -l sort-column -r -f -a 'name url groups labels timeout max_size defined_at' -d 'sort by this column (repeatable; later ones break ties), in every format'
complete -c glance-cache -n '__glance_cache_using inventory' -l check -d 'only validate the inventory (and the selection); print a one-line summary'

# completion
complete -c glance-cache -n '__glance_cache_using \'\'' -a completion -d 'print the shell completion script for bash, zsh or fish'
complete -c glance-cache -n '__glance_cache_using completion' -f -a 'bash zsh fish'

# help
complete -c glance-cache -n '__glance_cache_using \'\'' -a help -d 'show help for a command, or for auth'
complete -c glance-cache -n '__glance_cache_using help' -f -a 'ls nodes where diff queue purge clear sync prune inventory completion auth'
