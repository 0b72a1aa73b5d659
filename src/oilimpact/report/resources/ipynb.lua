-- Pandoc filter for executed notebooks (read with --ipynb-output=all) on their way to Typst.
-- export.clean_notebook has already dropped code, stderr, our result MIME and plain-text fallbacks,
-- so each output holds one representation; this filter turns it into real document elements:
-- DataFrame HTML -> pandoc tables (numbers right-aligned), Markdown output -> parsed text with raw
-- HTML shown as text, images sized to the text width, any remaining raw HTML -> visible text.

local function is_numeric(text)
  local s = text:gsub("[%s,]", ""):gsub("^[%$€£]", ""):gsub("%%$", "")
  return s ~= "" and tonumber(s) ~= nil
end

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)
end

-- Right-align columns whose body cells are all numbers (a DataFrame's figures).
local function align_numbers(tbl)
  local ncols = #tbl.colspecs
  for col = 1, ncols do
    local seen, numeric = false, true
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[col]
        if cell then
          local text = cell_text(cell)
          if text ~= "" then
            seen = true
            if not is_numeric(text) then numeric = false end
          end
        end
      end
    end
    if seen and numeric then
      tbl.colspecs[col] = { pandoc.AlignRight, tbl.colspecs[col][2] }
    end
  end
  return tbl
end

local ALIGN = { AlignRight = "right", AlignLeft = "left", AlignCenter = "center" }
local WIDE_TABLE = 90 -- characters: a table wider than this does not fit the line at its natural width

local function typst_cell(cell)
  local text = pandoc.write(pandoc.Pandoc(cell.contents), "typst", { wrap_text = "none" }):gsub("^%s+", ""):gsub("%s+$", "")
  local spans = {}
  if (cell.col_span or 1) > 1 then table.insert(spans, "colspan: " .. cell.col_span) end
  if (cell.row_span or 1) > 1 then table.insert(spans, "rowspan: " .. cell.row_span) end
  if #spans > 0 then
    return "table.cell(" .. table.concat(spans, ", ") .. ")[" .. text .. "]"
  end
  return "[" .. text .. "]"
end

local function typst_rows(rows)
  local out = {}
  for _, row in ipairs(rows) do
    local cells = {}
    for _, cell in ipairs(row.cells) do table.insert(cells, typst_cell(cell)) end
    table.insert(out, "  " .. table.concat(cells, ", ") .. ",")
  end
  return out
end

-- A table as Typst source: columns sized by their content (`auto`), except that in a wide table the
-- text column with the longest cell gets a fixed share of the line (30-40 %, by its share of the text)
-- so that it wraps in readable lines and the other columns shrink around it; the header repeats on
-- every page the table runs over.
local function typst_table(tbl)
  local ncols = #tbl.colspecs
  local longest, numeric = {}, {}
  for col = 1, ncols do
    longest[col] = 0
    numeric[col] = tbl.colspecs[col][1] == pandoc.AlignRight
  end
  local function measure(rows)
    for _, row in ipairs(rows) do
      for col, cell in ipairs(row.cells) do
        if col <= ncols and (cell.col_span or 1) == 1 then
          longest[col] = math.max(longest[col], utf8.len(cell_text(cell)) or #cell_text(cell))
        end
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do measure(body.body) end
  local total, widest = 0, nil
  for col = 1, ncols do
    total = total + longest[col]
    if not numeric[col] and (widest == nil or longest[col] > longest[widest]) then widest = col end
  end
  local columns, aligns = {}, {}
  for col = 1, ncols do
    columns[col] = "auto"
    if total > WIDE_TABLE and col == widest then
      local share = math.min(0.4, math.max(0.3, longest[col] / total))
      columns[col] = string.format("%d%%", math.floor(share * 100 + 0.5))
    end
    aligns[col] = ALIGN[tbl.colspecs[col][1]] or "left"
  end
  local lines = { "#table(",
    "  columns: (" .. table.concat(columns, ", ") .. ",),",
    "  align: (" .. table.concat(aligns, ", ") .. ",)," }
  if #tbl.head.rows > 0 then
    table.insert(lines, "  table.header(repeat: true,")
    for _, line in ipairs(typst_rows(tbl.head.rows)) do table.insert(lines, line) end
    table.insert(lines, "  ),")
    table.insert(lines, "  table.hline(),")
  end
  for _, body in ipairs(tbl.bodies) do
    for _, line in ipairs(typst_rows(body.body)) do table.insert(lines, line) end
  end
  table.insert(lines, ")")
  return pandoc.RawBlock("typst", table.concat(lines, "\n"))
end

function Table(tbl)
  return typst_table(align_numbers(tbl))
end

local function as_text_blocks(text)
  return { pandoc.Para({ pandoc.Str(text) }) }
end

function RawBlock(el)
  if el.format == "html" then
    local doc = pandoc.read(el.text, "html-raw_html-native_divs-native_spans")
    return doc.blocks:walk({ Table = Table })
  elseif el.format == "markdown" then
    return pandoc.read(el.text, "markdown-raw_html-raw_attribute-raw_tex").blocks:walk({ Table = Table })
  elseif el.format == "typst" then
    return el
  end
  return as_text_blocks(el.text)
end

function RawInline(el)
  if el.format == "typst" then
    return el
  end
  return pandoc.Str(el.text)
end

function Image(el)
  el.attributes.width = el.attributes.width or "100%"
  return el
end

-- A chart on its own line goes through report.typ's `chart`, which keeps it within the page height
-- (aspect kept). Pandoc extracts the image to media/<its name>.
local function is_chart(block)
  return block.t == "RawBlock" and block.format == "typst" and block.text:match("^#chart%(") ~= nil
end

function Para(el)
  if #el.content == 1 and el.content[1].t == "Image" and pandoc.mediabag.lookup(el.content[1].src) then
    return pandoc.RawBlock("typst", '#chart("media/' .. el.content[1].src .. '")')
  end
end

-- The paragraph that introduces a chart stays on the chart's page (and a heading before it, which
-- report.typ makes sticky, with both).
function Blocks(blocks)
  local out = pandoc.Blocks({})
  for i, block in ipairs(blocks) do
    if block.t == "Para" and blocks[i + 1] and is_chart(blocks[i + 1]) then
      out:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
      out:insert(block)
      out:insert(pandoc.RawBlock("typst", "]"))
    else
      out:insert(block)
    end
  end
  return out
end

-- Cells and outputs become plain runs of blocks: code cells arrive without source (their empty
-- code blocks go), and no cell wrapper or label reaches the page.
function Div(el)
  if el.classes:includes("cell") or el.classes:includes("output") then
    return el.content:filter(function(block)
      return not (block.t == "CodeBlock" and block.text == "")
    end)
  end
end
