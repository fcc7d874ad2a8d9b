// @vitest-environment jsdom
/**
 * Duplicate therapy while prescribing: two drugs of one WHO ATC level-4 group are warned about as soon as both are
 * picked (shared/'s rule), on a new prescription and when a line is added to a saved one. The saved lines' drugs come
 * from the query cache, as drugs.get would have answered.
 */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Drug, DrugLine } from '@hmis/shared';
import { DuplicateTherapyAlert, duplicatesAmong, useDuplicatesWith } from '../../src/features/prescriptions/DuplicateTherapy';
import { queryClient, trpc } from '../../src/trpc';
import { drug, renderUi, watchNetwork } from './render';

const ibuprofen = drug({ name: 'Ibuprofen', genericName: 'Ibuprofen', atcCodes: ['M01AE01'] });
const naproxen = drug({ name: 'Naproxen', genericName: 'Naproxen', atcCodes: ['M01AE02'] });
const diclofenac = drug({ name: 'Diclofenac', genericName: 'Diclofenac', atcCodes: ['M01AB05'] });
const paracetamol = drug({ name: 'Paracetamol', atcCodes: ['N02BE01'] });

const warning = () => screen.queryByRole('status', { name: 'Duplicate therapy' });

describe('duplicate therapy on a new prescription', () => {
  const renderWith = (drugs: (Drug | null)[]) => renderUi(<DuplicateTherapyAlert warnings={duplicatesAmong(drugs)} />);

  it('warns when two picked drugs share an ATC level-4 group', () => {
    renderWith([ibuprofen, paracetamol, naproxen]);
    expect(warning()!.textContent).toBe(
      'Duplicate therapy: Ibuprofen and Naproxen are in the same drug group (ATC M01AE). Check that both are intended.',
    );
  });

  it('says nothing for two NSAIDs of different level-4 groups', () => {
    renderWith([ibuprofen, diclofenac]);
    expect(warning()).toBeNull();
  });

  it('says nothing while the second line has no drug yet', () => {
    renderWith([ibuprofen, null]);
    expect(warning()).toBeNull();
  });
});

describe('duplicate therapy on a line added to a saved prescription', () => {
  const line = (d: Drug, id: number) => ({ id, drugId: d.id, drugName: d.name }) as DrugLine;

  function Added({ saved, picked }: { saved: DrugLine[]; picked: Drug | null }) {
    return <DuplicateTherapyAlert warnings={useDuplicatesWith(saved, picked)} />;
  }

  function renderAdded(saved: Drug[], picked: Drug | null) {
    const network = watchNetwork();
    for (const d of saved) queryClient.setQueryData(trpc.drugs.get.queryKey({ id: d.id }), d);
    renderUi(<Added saved={saved.map((d, i) => line(d, i + 1))} picked={picked} />);
    return network;
  }

  it('warns when the drug being added is in the group of a saved line, from the cached drugs', () => {
    const network = renderAdded([paracetamol, ibuprofen], naproxen);
    expect(warning()!.textContent).toContain('Ibuprofen and Naproxen are in the same drug group (ATC M01AE)');
    expect(network).not.toHaveBeenCalled();
  });

  it('leaves a duplicate among the saved lines to the saved prescription’s own warning', () => {
    renderAdded([ibuprofen, naproxen], paracetamol);
    expect(warning()).toBeNull();
  });
});
