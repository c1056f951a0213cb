// Help texts, kept together so flags and wording stay consistent across commands.

export const HELP: Record<string, string> = {
  dms: `Usage: dms <command> [flags]

Encrypt job inputs and outputs with age (compatible with the age command) and manage storage volumes.

Commands:
  keygen     generate an identity (key pair), or print the recipients of one (-y)
  encrypt    encrypt a file, standard input, or a whole directory
  decrypt    decrypt a file or standard input; extract a directory (-x); read a byte range (--range)
  inspect    describe an age file without a key
  volume     create, lock, verify, list, size, remove, encrypt and decrypt storage volumes

Run 'dms <command> --help' for the flags of a command. age's own command line works too:
'dms -e ...' is 'dms encrypt ...', 'dms -d ...' is 'dms decrypt ...' (with no -e or -d, 'dms -r R FILE'
encrypts, as age does), and 'dms --version' prints the version.
Errors print one line: dms: error: <what happened and what to do> (<CODE>), and exit with status 1.
`,
  keygen: `Usage:
  dms keygen [-o OUTPUT] [--pq]
  dms keygen -y [INPUT]

Generates a new age identity and writes it to OUTPUT (standard output when missing), in age's format:
a '# created:' line, a '# public key:' line, then the secret key. The public key is also printed on
standard error (not when the identity itself is shown on a terminal). OUTPUT is created with mode 0600
and is never overwritten; standard output redirected to a file others can read gets a warning.

Flags:
  -o, --output OUTPUT   write the identity to OUTPUT (refused when OUTPUT exists)
      --pq              generate a post-quantum hybrid identity (ML-KEM-768 + X25519, age1pq1...)
  -y                    print the recipient (public key) of each identity in INPUT (standard input
                        when INPUT is missing or '-')
      --json            print {created, recipient, identity} (or {created, recipient, path} with -o)
  -h, --help            show this help

Examples:
  dms keygen -o key.txt
  dms keygen -y key.txt > recipients.txt
`,
  encrypt: `Usage:
  dms encrypt (-r RECIPIENT | -R PATH)... [-a] [-o OUTPUT] [INPUT]
  dms encrypt (-p | --passphrase-file PATH) [-a] [-o OUTPUT] [INPUT]

Encrypts INPUT (standard input when missing or '-') to OUTPUT (standard output when missing or '-').
When INPUT is a directory, its whole tree (files, empty folders, the executable bit: modes become 0644
or 0755, or 0600 / 0700 for owner-only entries) is encrypted as one tar stream; 'dms decrypt -x DIR'
extracts it, and so does 'age -d | tar -x'. A tree that 'dms decrypt -x' would refuse (names that
differ only by case or Unicode form, control characters, links leaving the tree) is refused up front.

Flags:
  -r, --recipient RECIPIENT   encrypt to this public key (age1... or age1pq1...); repeatable
  -R, --recipients-file PATH  encrypt to every recipient listed in PATH (one a line, # comments);
                              repeatable
  -i, --identity PATH         encrypt to the recipient of each identity in PATH, as age -e -i does
  -p, --passphrase            ask for a passphrase on the terminal (twice) and encrypt with it
      --passphrase-file PATH  read the passphrase from the first line of PATH (for automation)
  -a, --armor                 write armored (PEM) text instead of binary
  -o, --output OUTPUT         write to OUTPUT; it appears only when encryption succeeds; an
                              s3://BUCKET/KEY URL uploads the ciphertext to that object
  -h, --help                  show this help

Binary output is never written to a terminal unless asked for with '-o -': use -a or -o.

Examples:
  dms encrypt -r age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p -o data.csv.age data.csv
  tar -c job | dms encrypt -R recipients.txt > job.tar.age
  dms encrypt -R recipients.txt -o job.age ./job-input/
  dms encrypt -p -a secrets.txt > secrets.txt.age
`,
  decrypt: `Usage:
  dms decrypt [-i PATH]... [--passphrase-file PATH] [-o OUTPUT] [INPUT]
  dms decrypt -x DIR [--allow-links] [-i PATH]... [--passphrase-file PATH] [INPUT]
  dms decrypt --range OFFSET:LENGTH [-i PATH]... [--passphrase-file PATH] [-o OUTPUT] INPUT

Decrypts INPUT (standard input when missing or '-', or an s3://BUCKET/KEY object; armor is detected)
to OUTPUT (standard output when missing or '-'). With -o, OUTPUT appears only when the whole file
decrypted and authenticated. When the file is passphrase-encrypted and no --passphrase-file is given,
the passphrase is asked on the terminal.

Flags:
  -i, --identity PATH         identity file (age keys, # comments, several keys); repeatable
      --passphrase-file PATH  read the passphrase from the first line of PATH
  -o, --output OUTPUT         write to OUTPUT
  -x, --extract DIR           extract an encrypted directory into DIR (DIR must be absent or empty)
      --allow-links           with -x, also create symbolic and hard links that stay inside DIR
                              (refused by default, as is anything else but files and folders)
      --range OFFSET:LENGTH   decrypt only LENGTH plaintext bytes starting at OFFSET (INPUT must be a
                              file); only the chunks covering the range are read
  -h, --help                  show this help

Examples:
  dms decrypt -i key.txt -o data.csv data.csv.age
  dms decrypt -i key.txt -x ./job-input job.age
  dms decrypt -i key.txt --range 1048576:4096 data.csv.age
`,
  inspect: `Usage:
  dms inspect [--json] FILE          (FILE may be an s3://BUCKET/KEY object)

Describes an age file without decrypting it: whether it is armored, the recipient stanza types, and the
header, payload and plaintext sizes.

Flags:
      --json      print the description as JSON
  -h, --help      show this help
`,
  volume: `Usage:
  dms volume <subcommand> [--root DIR] [flags]

Subcommands:
  create SOURCE [--private]                  create an empty volume for data from SOURCE (job, s3 or
                                             ipfs); prints its path; --private makes it 0700
  lock PATH [--cid CID]                      make the volume read-only and record its content digest
  verify PATH [--json]                       check a locked volume against its digest; exit 1 and list
                                             the changes when it changed
  ls [--json]                                list the volumes
  size (PATH | --cid CID) [--json]           print the volume's size in bytes
  rm (PATH | --cid CID)                      delete the volume
  encrypt PATH (-r RECIPIENT | -R FILE)...   encrypt the volume at rest (or --passphrase-file FILE)
  decrypt PATH -i FILE...                    decrypt an encrypted volume (or --passphrase-file FILE)
  push PATH s3://BUCKET/PREFIX [--json]      upload a volume or folder, each file at PREFIX/its path;
                                             with -r/-R/--passphrase-file, one encrypted archive at
                                             the URL instead
  pull s3://BUCKET/PREFIX [--json]           download into a new locked volume and print its path;
                                             with -i/--passphrase-file, decrypt and extract an archive
  uploads s3://BUCKET/PREFIX [--abort]       list the multipart uploads a killed process left under
                                             PREFIX; --abort aborts them (frees their parts)

Flags for every subcommand:
      --root DIR   the storage root (default: $DMS_STORAGE_ROOT, else a folder under your home)
  -h, --help       show this help

Examples:
  dms volume create job --root /srv/dms
  dms volume lock /srv/dms/job-QwErTyUiOpAsDfGh
  dms volume ls --json
  dms volume push ./job s3://jobs/job-42/inputs.tar.age -R provider.txt
  dms volume pull s3://jobs/job-42/inputs.tar.age -i key.txt

s3:// URLs also work for 'dms encrypt -o', 'dms decrypt' and 'dms inspect'. Endpoint and credentials
come from the AWS SDK's chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles; S3_ENDPOINT for
Ceph or MinIO).
`,
};
