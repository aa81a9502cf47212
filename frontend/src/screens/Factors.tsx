// Today's row of factor tags ("Coffee", "Long standing"…): one tap logs it now, offline too, with Undo; the
// suggestions become the patient's only when tapped; "+ Add your own"; and the tags managed in place
// (rename, delete: a tag on entries asks before its entries go too).

import { useState } from 'preact/hooks';
import type { Entry } from '../data/entries';
import { deleteTag, hiddenSuggestions, hideSuggestions, renameTag, tapTag, useTags, type DeleteOutcome } from '../data/factors';
import { NAME_MAX, nameProblem, suggestedTags, type DeleteRefusal, type Tag } from '../logic/factors';
import { toast } from '../state';
import { strings } from '../strings';
import { Button, TextField } from '../ui/form';

const F = strings.factors;

export function FactorTags({ entries }: { entries: Entry[] }) {
  const tags = useTags();
  const [adding, setAdding] = useState(false);
  const [managing, setManaging] = useState(false);
  // Bumped when the suggestions are hidden: they are read from storage on each draw.
  const [, setHiddenVersion] = useState(0);
  if (tags === null) return null;
  const suggestions = suggestedTags(F.suggested, tags, hiddenSuggestions());

  return (
    <section class="card factors" aria-labelledby="factors-title" data-testid="factor-tags">
      <h2 id="factors-title">{F.title}</h2>
      <p class="hint">{F.hint}</p>
      {managing ? (
        <ManageTags
          tags={tags}
          entries={entries}
          suggestions={suggestions.length > 0}
          onHideSuggestions={() => {
            hideSuggestions(F.suggested);
            setHiddenVersion((n) => n + 1);
          }}
          onDone={() => setManaging(false)}
        />
      ) : (
        <>
          <ul class="chips">
            {tags.map((t) => (
              <li key={t.id}>
                <button type="button" class="chip" data-testid="factor-chip" data-name={t.name} onClick={() => void tapTag(t.name, tags)}>
                  {t.name}
                </button>
              </li>
            ))}
            {suggestions.map((sg) => (
              <li key={sg.name}>
                <button
                  type="button"
                  class="chip chip-suggested"
                  data-testid="factor-suggestion"
                  data-name={sg.name}
                  aria-label={F.suggestionLabel(sg.name)}
                  onClick={() => void tapTag(sg.name, tags)}
                >
                  {sg.name}
                </button>
              </li>
            ))}
            {!adding && (
              <li>
                <button type="button" class="chip chip-add" data-testid="factor-add" onClick={() => setAdding(true)}>
                  {F.addOwn}
                </button>
              </li>
            )}
          </ul>
          {adding && <NewTag tags={tags} onDone={() => setAdding(false)} />}
          {tags.length > 0 && (
            <p class="row wrap">
              <Button kind="link" onClick={() => setManaging(true)} testid="factor-manage">
                {F.manage}
              </Button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function NewTag({ tags, onDone }: { tags: Tag[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = (event: Event) => {
    event.preventDefault();
    const why = nameProblem(name, tags);
    // A name already on the list is simply that tag: log it rather than refuse.
    if (why === 'taken') {
      void tapTag(name.trim(), tags);
      onDone();
      return;
    }
    if (why) {
      setProblem(F.problems[why]);
      return;
    }
    void tapTag(name.trim(), tags);
    onDone();
  };
  return (
    <form class="new-tag" onSubmit={add} noValidate aria-label={F.addOwn}>
      <TextField label={F.newName} hint={F.newNameHint} name="name" value={name} max={NAME_MAX} onValue={setName} errors={problem ? { name: [problem] } : {}} testid="factor-new-name" autocapitalize="sentences" />
      <div class="row wrap">
        <Button type="submit" kind="primary" testid="factor-new-save">
          {F.add}
        </Button>
        <Button onClick={onDone}>{strings.cancel}</Button>
      </div>
    </form>
  );
}

function ManageTags(p: { tags: Tag[]; entries: Entry[]; suggestions: boolean; onHideSuggestions: () => void; onDone: () => void }) {
  return (
    <div class="manage-tags" data-testid="factor-manage-list">
      <h3>{F.manageTitle}</h3>
      {p.tags.length === 0 ? (
        <p>{F.noTags}</p>
      ) : (
        <ul class="entry-list">
          {p.tags.map((t) => (
            <ManagedTag key={t.id} tag={t} tags={p.tags} entries={p.entries} />
          ))}
        </ul>
      )}
      <div class="row wrap">
        <Button kind="primary" onClick={p.onDone} testid="factor-manage-done">
          {F.done}
        </Button>
        {p.suggestions && (
          <Button kind="link" onClick={p.onHideSuggestions}>
            {F.hideSuggestions}
          </Button>
        )}
      </div>
    </div>
  );
}

function ManagedTag({ tag, tags, entries }: { tag: Tag; tags: Tag[]; entries: Entry[] }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(tag.name);
  const [problem, setProblem] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<DeleteRefusal | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const saveName = (event: Event) => {
    event.preventDefault();
    const why = nameProblem(name, tags, tag.id);
    if (why) {
      setProblem(F.problems[why]);
      return;
    }
    setProblem(null);
    setRenaming(false);
    void renameTag(tag, name);
  };
  const remove = async (withEntries: boolean) => {
    setBusy(true);
    setNote(null);
    const out: DeleteOutcome = await deleteTag(tag, entries, withEntries);
    setBusy(false);
    if (out.kind === 'deleted') toast(F.deleted(tag.name));
    else if (out.kind === 'refused') setRefusal(out.refusal);
    else setNote(out.kind === 'offline' ? F.deleteNeedsConnection : F.deleteFailed);
  };

  return (
    <li class="entry" data-testid="factor-managed" data-name={tag.name}>
      {renaming ? (
        <form onSubmit={saveName} noValidate aria-label={F.rename}>
          <TextField label={F.newName} name="name" value={name} onValue={setName} errors={problem ? { name: [problem] } : {}} testid="factor-rename-input" />
          <div class="row wrap">
            <Button type="submit" kind="primary">
              {F.saveName}
            </Button>
            <Button onClick={() => setRenaming(false)}>{strings.cancel}</Button>
          </div>
        </form>
      ) : (
        <>
          <p class="entry-head">
            <strong>{tag.name}</strong>
          </p>
          <div class="row wrap entry-actions">
            <Button onClick={() => setRenaming(true)} ariaLabel={`${F.rename}: ${tag.name}`}>
              {F.rename}
            </Button>
            <Button kind="link" class="delete-link" busy={busy} onClick={() => void remove(false)} ariaLabel={F.deleteTag(tag.name)} testid="factor-delete">
              {strings.delete}
            </Button>
          </div>
        </>
      )}
      {refusal && (
        <div class="card sheet" role="alert" data-testid="factor-delete-refused">
          <p>{refusal.message}</p>
          <div class="row wrap">
            <Button kind="danger" busy={busy} onClick={() => void remove(true)} testid="factor-delete-with-entries">
              {F.deleteWithEntries(refusal.count)}
            </Button>
            <Button onClick={() => setRefusal(null)}>{F.keepTag}</Button>
          </div>
        </div>
      )}
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
    </li>
  );
}
